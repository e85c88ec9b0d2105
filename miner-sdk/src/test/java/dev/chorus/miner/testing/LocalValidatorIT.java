package dev.chorus.miner.testing;

import ch.qos.logback.classic.Level;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.MinerConfig;
import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.protocol.QueryRequest;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalValidatorIT {

    @Test
    void toyMinerAnswersWithAnAnswerSignedByItsHotkey() {
        RecordingMiner recorder = new RecordingMiner();
        try (LocalValidator validator = LocalValidator.builder().miner(recorder).start()) {
            MinerAnswer answer = validator.ask("What is the boiling point of water at sea level?");

            assertThat(answer).isInstanceOfSatisfying(MinerAnswer.Ok.class, ok -> {
                assertThat(ok.answer()).isEqualTo("echo: What is the boiling point of water at sea level?");
                assertThat(ok.uid()).isEqualTo(LocalValidator.MINER_UID);
                assertThat(ok.response().modelName()).contains("recording-miner");
                assertThat(ok.response().reportedTimings()).isPresent();
                assertThat(ok.latency()).isPositive().isLessThan(LocalValidator.DEFAULT_TIMEOUT);
            });
            assertThat(recorder.calls()).extracting(QueryRequest::netuid).containsExactly(SubnetFixture.NETUID);
        }
    }

    @Test
    void asyncMinerAnswers() {
        try (LocalValidator validator = LocalValidator.builder()
                .asyncMiner(query -> CompletableFuture.completedFuture("at once: " + query.prompt())).start()) {
            assertThat(validator.ask("ping")).isInstanceOfSatisfying(MinerAnswer.Ok.class,
                    ok -> assertThat(ok.answer()).isEqualTo("at once: ping"));
        }
    }

    /**
     * A test that runs a miner through a list of questions asks faster than a validator ever does (once a round), and a
     * quick miner's answers must not come back as the RATE_LIMITED refusal no validator would see.
     */
    @Test
    void questionsAskedBackToBackAreAllAnswered() {
        try (LocalValidator validator = LocalValidator.builder().miner(query -> "answer to " + query.prompt()).start()) {
            for (int question = 1; question <= 40; question++) {
                String prompt = "question " + question;
                assertThat(validator.ask(prompt)).as(prompt).isInstanceOfSatisfying(MinerAnswer.Ok.class,
                        ok -> assertThat(ok.answer()).isEqualTo("answer to " + prompt));
            }
        }
    }

    /** A first query warms the connection and the signing code, so only the model can be slower than the deadline. */
    @Test
    void minerSlowerThanTheDeadlineTimesOut() {
        CountDownLatch slowStarted = new CountDownLatch(1);
        try (LocalValidator validator = LocalValidator.builder().miner(query -> {
            if (query.prompt().equals("slow")) {
                slowStarted.countDown();
                Thread.sleep(2_000);
            }
            return "done";
        }).start()) {
            assertThat(validator.ask("warm up")).isInstanceOf(MinerAnswer.Ok.class);

            MinerAnswer answer = validator.ask("slow", Duration.ofMillis(500));

            assertThat(answer).isInstanceOfSatisfying(MinerAnswer.Failed.class,
                    failed -> assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.TIMEOUT));
            assertThat(slowStarted.getCount()).as("the miner was asked").isZero();
            assertThat(answer.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(450)).isLessThan(Duration.ofMillis(1_900));
        }
    }

    /** A miner's own settings apply: its handler limit cuts the model short before the query's deadline. */
    @Test
    void minerSettingsFromItsConfigDecideTheRefusals() {
        MinerServerSettings settings = ConfigLoader.load(MinerConfig.defaults(), Optional.empty(), Map.of(), Map.of(
                "chain.contract_address", "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                "server.max_handler_time", "300ms", "server.min_validator_stake", "5000")).server();
        try (LocalValidator validator = LocalValidator.builder().options(settings).miner(query -> {
            if (query.prompt().equals("slow")) {
                Thread.sleep(2_000);
            }
            return "done";
        }).start()) {
            assertThat(validator.ask("warm up")).as("a validator with the minimum stake is answered")
                    .isInstanceOf(MinerAnswer.Ok.class);

            MinerAnswer answer = validator.ask("slow");

            assertThat(answer).isInstanceOfSatisfying(MinerAnswer.Failed.class, failed -> {
                assertThat(failed.refusal()).isEqualTo("DEADLINE_EXCEEDED");
                assertThat(failed.detail()).startsWith("504 DEADLINE_EXCEEDED");
            });
            assertThat(answer.latency()).isLessThan(Duration.ofMillis(1_900));
        }
    }

    @Test
    void throwingMinerIsRefusedAsAValidatorSeesItWithoutItsInternals() {
        try (LocalValidator validator = LocalValidator.builder().miner(query -> {
            throw new IllegalStateException("GPU at 10.0.0.7 is out of memory");
        }).start()) {
            MinerAnswer answer = validator.ask("anyone there?");

            assertThat(answer).isInstanceOfSatisfying(MinerAnswer.Failed.class, failed -> {
                assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.HTTP_STATUS);
                assertThat(failed.refusal()).isEqualTo("MINER_FAILED");
                assertThat(failed.detail()).startsWith("500 MINER_FAILED").contains("the model failed on this query")
                        .doesNotContain("10.0.0.7");
            });
        }
    }

    @Test
    void answersThatValidatorsPayNothingForAreLoggedWithWhatToDo() throws InterruptedException {
        try (LogCapture log = new LogCapture();
             LocalValidator validator = LocalValidator.builder()
                     .miner(query -> query.prompt().equals("say nothing") ? " \n" : "word ".repeat(20_000)).start()) {
            assertThat(validator.ask("say nothing")).isInstanceOf(MinerAnswer.Ok.class);
            assertThat(validator.ask("say a lot")).isInstanceOfSatisfying(MinerAnswer.Failed.class,
                    failed -> assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.OVERSIZE));

            assertThat(log.await(Level.WARN, "empty answer, which validators pay 0", Duration.ofSeconds(5))).isTrue();
            assertThat(log.await(Level.WARN, "bytes, more than the 65536 bytes validators read by default",
                    Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void minerReturningNullIsToldToReturnItsAnswerText() throws InterruptedException {
        try (LogCapture log = new LogCapture();
             LocalValidator validator = LocalValidator.builder().miner(query -> null).start()) {
            assertThat(validator.ask("anyone there?")).isInstanceOf(MinerAnswer.Failed.class);

            assertThat(log.await(Level.WARN, "the miner returned null instead of an answer: return the answer's text",
                    Duration.ofSeconds(5))).isTrue();
        }
    }

    /**
     * A miner still computing when its server closes under a validator that hung up, one that does not stop when
     * interrupted: the answer it finishes has no one to go to. That is said once, as what it is, not as a signing
     * failure. On a shared Vert.x, which outlives the server, so that the finished answer reaches the server at all.
     */
    @Test
    void anAnswerFinishedAfterTheServerClosedIsSaidToBeDropped() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Vertx vertx = Vertx.vertx();
        try (LogCapture log = new LogCapture()) {
            LocalValidator validator = LocalValidator.builder().vertx(vertx).miner(query -> {
                asked.countDown();
                // as a model in native code does: the close's interrupt does not stop it
                while (true) {
                    try {
                        finish.await();
                        return "late";
                    } catch (InterruptedException ignored) {
                        // computing on
                    }
                }
            }).start();
            CompletableFuture<MinerAnswer> answer = CompletableFuture.supplyAsync(() -> validator.ask("take your time"));
            assertThat(asked.await(10, TimeUnit.SECONDS)).as("the miner was asked").isTrue();
            validator.close();
            finish.countDown();

            assertThat(answer.get(10, TimeUnit.SECONDS)).isInstanceOf(MinerAnswer.Failed.class);
            assertThat(log.await(Level.INFO, "was ready after the server had closed and was dropped", Duration.ofSeconds(10))).isTrue();
            assertThat(log.lines(Level.WARN)).isEmpty();
        } finally {
            vertx.close().await();
        }
    }

    /** On a shared Vert.x, so that only the server's own close can free the port. */
    @Test
    void closeStopsTheMinerServerAndLeavesASharedVertxOpen() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            int port;
            try (LocalValidator validator = LocalValidator.builder().vertx(vertx).miner(query -> "yes").start()) {
                port = validator.port();
                assertThat(validator.ask("up?")).isInstanceOf(MinerAnswer.Ok.class);
            }

            assertThat(listenerAt(port)).as("something still listens on the miner's port %d", port).isFalse();
            CompletableFuture<Boolean> fired = new CompletableFuture<>();
            vertx.setTimer(1, id -> fired.complete(true));
            assertThat(fired.get(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            vertx.close().await();
        }
    }

    /**
     * Whether a connection to {@code port} on loopback is accepted. A connection the kernel made to itself (its local
     * port chosen equal to the closed port, TCP's simultaneous open) is not a listener.
     */
    private static boolean listenerAt(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return socket.getLocalPort() != port;
        } catch (ConnectException refused) {
            return false;
        }
    }

    /**
     * A second close (an explicit one inside try-with-resources, an @AfterEach after a test's own) does nothing, and a
     * query after close says so instead of coming back as the miner's failure or a Netty exception.
     */
    @ParameterizedTest(name = "shared Vert.x: {0}")
    @ValueSource(booleans = {false, true})
    void closingTwiceIsHarmlessAndAskingAfterCloseSaysItIsClosed(boolean sharedVertx) {
        Vertx vertx = Vertx.vertx();
        try {
            LocalValidator.Builder builder = LocalValidator.builder().miner(query -> "yes");
            LocalValidator validator = (sharedVertx ? builder.vertx(vertx) : builder).start();
            assertThat(validator.ask("up?")).isInstanceOf(MinerAnswer.Ok.class);

            validator.close();
            validator.close();

            assertThatThrownBy(() -> validator.ask("up?")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed").hasMessageContaining("LocalValidator.builder()");
            assertThatThrownBy(() -> validator.score("up?", MinerAnswer.failed(LocalValidator.MINER_UID,
                    MinerAnswer.Failure.TIMEOUT, "no answer", Duration.ZERO), List.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        } finally {
            vertx.close().await();
        }
    }

    /** A Vert.x thread cannot block on the miner: said before the miner's server starts on the shared Vert.x. */
    @Test
    void startingOnAVertxWorkerSaysWhereToStartAndStartsNothing() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (LogCapture log = new LogCapture()) {
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            vertx.executeBlocking(() -> LocalValidator.builder().vertx(vertx).miner(query -> "yes").start())
                    .onComplete(started -> {
                        if (started.succeeded()) {
                            started.result().close();
                        }
                        failed.complete(started.cause());
                    });

            assertThat(failed.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("from a test or a main thread").hasMessageContaining("not from a Vert.x thread");
            assertThat(log.lines(Level.INFO)).as("a miner server started").noneMatch(line -> line.contains("serving subnet"));
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void startingWithoutAMinerSaysHowToGiveOne() {
        assertThatThrownBy(() -> LocalValidator.builder().start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LocalValidator.builder().miner(query -> answer)");
    }

    @Test
    void scoringWithoutTheModelSaysHowToLoadIt() {
        try (LocalValidator validator = LocalValidator.builder().miner(query -> "yes").start()) {
            MinerAnswer answer = validator.ask("up?");

            assertThatThrownBy(() -> validator.score("up?", answer, List.of("yes")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(".scoring()");
        }
    }

    @Test
    void aTimeoutThatIsNotPositiveIsRefusedBeforeAsking() {
        try (LocalValidator validator = LocalValidator.builder().miner(query -> "yes").start()) {
            assertThatThrownBy(() -> validator.ask("up?", Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        }
    }
}
