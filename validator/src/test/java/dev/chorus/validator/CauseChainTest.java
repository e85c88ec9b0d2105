package dev.chorus.validator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class CauseChainTest {

    @Test
    void findsAKindAnyLayerDeepAndNothingThatIsNotThere() {
        Throwable wrapped = new CompletionException(new IllegalStateException("chain call failed",
                new SocketException("Connection reset")));
        assertThat(CauseChain.contains(wrapped, List.of(IOException.class))).as("a subclass, three layers down").isTrue();
        assertThat(CauseChain.contains(wrapped, List.of(InterruptedException.class, ArithmeticException.class))).isFalse();
        assertThat(CauseChain.contains(new IllegalStateException("alone"), List.of(IllegalStateException.class))).isTrue();
    }
}
