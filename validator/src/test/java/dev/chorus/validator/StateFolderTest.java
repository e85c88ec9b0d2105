package dev.chorus.validator;

import dev.chorus.validator.admin.Readiness;
import dev.chorus.validator.hardening.LogSecretScan;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.state.StateFile;
import dev.chorus.validator.state.StateLock;
import dev.chorus.validator.state.ValidatorState;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class StateFolderTest {

    private final Vertx vertx = Vertx.vertx();
    private final ValidatorMetrics metrics = new ValidatorMetrics();

    @AfterEach
    void close() throws Exception {
        metrics.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * The state is saved on the disk pool and organic rounds are logged on the organic pool: a save stuck on a slow
     * disk must not hold up the round log, nor a stuck round-log line the save that precedes a weights transaction.
     */
    @Test
    void aSaveInProgressDoesNotHoldUpARoundLogLine(@TempDir Path dir) throws Exception {
        CountDownLatch saving = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StateFolder.View slowView = viewOf(() -> {
            saving.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return aState();
        });
        StateFolder folder = new StateFolder(new StateFolder.Parts(dir, 1, "0xself", StateLock.acquire(dir),
                new RoundLog(dir, 1 << 20, 2), vertx.createSharedWorkerExecutor("test-disk", 1), metrics), slowView);
        // Threads of the test's own, as the disk and organic pools are: the common pool may have only one.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<String> save = CompletableFuture.supplyAsync(folder::saveOrRecordWhy, threads);
            assertThat(saving.await(10, TimeUnit.SECONDS)).as("the save started").isTrue();

            CompletableFuture<Void> append = CompletableFuture.runAsync(() -> folder.appendRoundOrRecordWhy(
                    new RoundRecord(1, System.currentTimeMillis(), 100, "q1", "prompt", null, true, List.of(),
                            new RoundRecord.MetagraphView(1, List.of(0)))), threads);

            append.get(5, TimeUnit.SECONDS);
            assertThat(Files.readString(dir.resolve(RoundLog.FILE_NAME))).contains("\"q1\"");
            release.countDown();
            assertThat(save.get(10, TimeUnit.SECONDS)).as("the save's problem").isNull();
        } finally {
            release.countDown();
            threads.shutdown();
            folder.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The save before a weights transaction records its failure on the disk pool, before its future fails: recorded
     * afterwards on the event loop, it could land after a round's save had succeeded and leave /health/ready "not ready"
     * for a folder that works again.
     */
    @Test
    void aFailedSaveIsRecordedBeforeItsFutureFails(@TempDir Path dir) throws Exception {
        StateFolder.View view = viewOf(StateFolderTest::aState);
        // the state file's temporary name taken by a folder that is not empty, so no save can write it
        Path inTheWay = dir.resolve(StateFile.FILE_NAME + ".tmp").resolve("in-the-way");
        Files.createDirectories(inTheWay);
        StateFolder folder = new StateFolder(new StateFolder.Parts(dir, 1, "0xself", StateLock.acquire(dir),
                new RoundLog(dir, 1 << 20, 2), vertx.createSharedWorkerExecutor("test-disk", 1), metrics), view);
        try {
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            folder.saveNow().onComplete(saved -> failed.complete(saved.cause()));
            Throwable cause = failed.get(10, TimeUnit.SECONDS);

            assertThat(cause).isInstanceOfSatisfying(StateFolder.NotSaved.class, notSaved -> {
                assertThat(notSaved.isNew()).isTrue();
                assertThat(notSaved.getMessage()).contains("cannot be written");
            });
            assertThat(folder.readiness(Readiness.ok()).reason()).as("recorded when the future failed")
                    .contains("cannot be written");

            Files.delete(inTheWay);
            assertThat(folder.saveOrRecordWhy()).isNull();
            assertThat(folder.readiness(Readiness.ok()).ready()).as("a save that works again clears it").isTrue();
        } finally {
            folder.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A save that fails for a reason other than the disk (a bug) is recorded under the save's lock as a disk failure
     * is, so /health/ready reports it and the next save that works clears it; recorded afterwards, on the event loop,
     * it could land after that save and leave the validator "not ready" for good.
     */
    @Test
    void aSaveThatFailsByABugIsRecordedAndClearedByTheNextSave(@TempDir Path dir) throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        StateFolder.View view = viewOf(() -> {
            if (broken.get()) {
                throw new IllegalStateException("scores being rebuilt");
            }
            return aState();
        });
        StateFolder folder = new StateFolder(new StateFolder.Parts(dir, 1, "0xself", StateLock.acquire(dir),
                new RoundLog(dir, 1 << 20, 2), vertx.createSharedWorkerExecutor("test-disk", 1), metrics), view);
        try {
            assertThat(folder.saveOrRecordWhy()).as("the problem, new")
                    .contains("scores being rebuilt").contains("this is a bug in chorus");
            assertThat(folder.saveOrRecordWhy()).as("the same problem again is not logged twice").isNull();
            assertThat(folder.readiness(Readiness.ok()).reason()).contains("scores being rebuilt");

            broken.set(false);
            assertThat(folder.saveOrRecordWhy()).isNull();
            assertThat(folder.readiness(Readiness.ok()).ready()).isTrue();
            assertThat(dir.resolve(StateFile.FILE_NAME)).exists();
        } finally {
            folder.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Organic rounds are numbered apart from synthetic ones, so "round 1" could be either: an organic round's missing
     * line names it by its query id, as the organic API's own lines do.
     */
    @Test
    void anOrganicRoundMissingFromTheLogIsNamedAsOrganic(@TempDir Path dir) throws Exception {
        // a full log, whose next line rotates it, and in place of the rotated log a folder that is not empty
        Files.writeString(dir.resolve(RoundLog.FILE_NAME), "\n".repeat(4095));
        Files.createDirectories(dir.resolve(RoundLog.FILE_NAME + ".1").resolve("in-the-way"));
        StateFolder folder = new StateFolder(new StateFolder.Parts(dir, 1, "0xself", StateLock.acquire(dir),
                new RoundLog(dir, 4096, 1), vertx.createSharedWorkerExecutor("test-disk", 1), metrics), null);
        try (LogSecretScan log = LogSecretScan.start()) {
            folder.appendRoundOrRecordWhy(new RoundRecord(1, System.currentTimeMillis(), 100, "org-7f3a", "", null, true,
                    List.of(), new RoundRecord.MetagraphView(1, List.of(0))));

            assertThat(log.text()).contains("organic round org-7f3a is scored and kept, but it is missing from the round log")
                    .doesNotContain("round 1 ");
            assertThat(folder.readiness(Readiness.ok()).reason()).contains("the round log");
        } finally {
            folder.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static ValidatorState aState() {
        return new ValidatorState(ValidatorState.SCHEMA, 1, "0xself", 1, System.currentTimeMillis(), List.of(), null,
                null);
    }

    /** A service that is not stopping, whose state is {@code current}'s. */
    private static StateFolder.View viewOf(Supplier<ValidatorState> current) {
        return new StateFolder.View() {
            @Override
            public ValidatorState current() {
                return current.get();
            }

            @Override
            public boolean stopping() {
                return false;
            }
        };
    }
}
