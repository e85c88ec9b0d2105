package dev.chorus.miner.server;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** What a validator reads when the model failed: the kind of failure, never the miner's exception text or classes. */
class FailureDetailTest {

    @Test
    void aRefusedConnectionAnywhereInTheChainIsAnUnreachableBackend() {
        assertThat(MinerServer.failureDetail(new CompletionException(new ConnectException("Connection refused: /10.0.0.5:8000"))))
                .isEqualTo("the model backend is unreachable");
    }

    @Test
    void aTimeoutIsABackendThatDidNotAnswerInTime() {
        assertThat(MinerServer.failureDetail(new TimeoutException("The timeout period of 700ms has been exceeded")))
                .isEqualTo("the model backend did not answer in time");
    }

    @Test
    void anyOtherFailureSaysOnlyThatTheModelFailed() {
        assertThat(MinerServer.failureDetail(new IllegalStateException("upstream answered HTTP 500 at 10.0.0.5")))
                .isEqualTo("the model failed on this query");
    }
}
