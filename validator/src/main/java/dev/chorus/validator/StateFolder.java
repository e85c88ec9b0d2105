package dev.chorus.validator;

import dev.chorus.validator.admin.Readiness;
import dev.chorus.validator.state.FileProblem;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.state.StateFile;
import dev.chorus.validator.state.StateLock;
import dev.chorus.validator.state.ValidatorState;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The validator's state folder, held under its lock: the state file, saved and loaded on the disk pool, and the round
 * log. A save or a round-log append that fails is recorded until one succeeds again, so that /health/ready reports a
 * folder that cannot be written and the log says so once.
 */
final class StateFolder {

    /** What the folder is built from: it owns the lock and the open round log, and closes them at the end. */
    record Parts(Path dir, int netuid, String hotkey, StateLock lock, RoundLog roundLog, WorkerExecutor diskPool,
                 ValidatorMetrics metrics) {
    }

    /** What the service knows now. */
    interface View {
        /** The state to save, read on the disk pool. */
        ValidatorState current();

        /** Whether the service is stopping, read on its event loop. */
        boolean stopping();
    }

    private final Path dir;
    private final int netuid;
    private final String hotkey;
    private final StateLock lock;
    private final WorkerExecutor diskPool;
    private final ValidatorMetrics metrics;
    private final View view;
    private final StateFile stateFile;
    private final RoundLog roundLog;
    /** Why the state file could not be saved; null once a save succeeds again. */
    private volatile String storageProblem;
    /** Why the last round could not be added to the round log; null once an append succeeds again. */
    private volatile String roundLogProblem;
    /**
     * Orders the round log's appends apart from the state's saves (which hold this folder's monitor): the scores must
     * not wait on a record kept for research, nor the record on the scores.
     */
    private final Object appendLock = new Object();

    StateFolder(Parts parts, View view) {
        this.dir = parts.dir();
        this.netuid = parts.netuid();
        this.hotkey = parts.hotkey();
        this.lock = parts.lock();
        this.diskPool = parts.diskPool();
        this.metrics = parts.metrics();
        this.view = view;
        this.stateFile = new StateFile(dir);
        this.roundLog = parts.roundLog();
    }

    Path statePath() {
        return stateFile.path();
    }

    /** The state saved by this validator's last run; empty when there is none, or when it was damaged (logged here). */
    Future<Optional<ValidatorState>> load() {
        return diskPool.executeBlocking(() -> stateFile.load(netuid, hotkey), false)
                .recover(e -> {
                    if (e instanceof StateFile.DamagedStateException damaged) {
                        ValidatorLog.stateUnusable(damaged.getMessage());
                        return Future.succeededFuture(Optional.empty());
                    }
                    return Future.failedFuture(e);
                });
    }

    /** The number of the newest synthetic round in the round log, 0 when it holds none; read on the disk pool. */
    Future<Long> lastLoggedRound() {
        return diskPool.executeBlocking(() -> {
            try {
                return roundLog.lastSyntheticRound();
            } catch (IOException e) {
                throw new IOException("the round log " + roundLog.file().toAbsolutePath() + " cannot be read: "
                        + FileProblem.describe(e) + "; make it readable by this user", e);
            }
        }, false);
    }

    /**
     * Why the state file could not be saved, already recorded for /health/ready and counted; {@code isNew} when the
     * problem differs from the one recorded before, so that a folder that stays broken is logged once.
     */
    static final class NotSaved extends IOException {
        private final boolean isNew;

        NotSaved(String problem, boolean isNew, Exception cause) {
            super(problem, cause);
            this.isNew = isNew;
        }

        boolean isNew() {
            return isNew;
        }
    }

    /**
     * Saves the state on the disk pool, or fails with {@link NotSaved}, its problem recorded there under the save's
     * lock as {@link #saveOrRecordWhy}'s is: recorded later, on the caller's thread, it could overwrite the success of
     * a save that ran in between and leave /health/ready "not ready" for a folder that works again.
     */
    Future<Void> saveNow() {
        return diskPool.executeBlocking(() -> {
            saveOrThrowRecorded();
            return null;
        }, false);
    }

    /** Saves the state on the disk pool; not once stopping, since the stop saves it last and then closes the folder. */
    void saveLater() {
        if (view.stopping()) {
            return;
        }
        diskPool.executeBlocking(this::saveOrRecordWhy, false).onComplete(saved -> {
            String problem = saved.succeeded() ? saved.result() : recordedIfNew(saved.cause().toString());
            if (problem != null) {
                ValidatorLog.stateNotSaved(problem);
            }
        });
    }

    /**
     * Saves the state on the calling thread (the disk pool), or records why it could not be: under the save's lock, so
     * that a failure is never recorded after a later save succeeded and /health/ready stays "not ready" for a folder
     * that works again.
     *
     * @return the problem when it is new (to be logged once), else null
     */
    synchronized String saveOrRecordWhy() {
        try {
            saveOrThrowRecorded();
            return null;
        } catch (NotSaved e) {
            return e.isNew() ? e.getMessage() : null;
        }
    }

    private synchronized void saveOrThrowRecorded() throws NotSaved {
        try {
            save();
        } catch (IOException e) {
            String problem = "the state folder " + dir.toAbsolutePath() + " cannot be written: " + FileProblem.describe(e);
            throw new NotSaved(problem, storageFailed(problem), e);
        } catch (RuntimeException e) {
            // A bug, not the disk: recorded here all the same, under the lock, for the reason saveOrRecordWhy gives.
            String problem = "the state could not be saved to " + stateFile.path().toAbsolutePath() + " (" + e
                    + "); this is a bug in chorus, please report it with the log";
            throw new NotSaved(problem, storageFailed(problem), e);
        }
    }

    private synchronized void save() throws IOException {
        stateFile.save(view.current());
        storageProblem = null;
    }

    private String recordedIfNew(String problem) {
        return storageFailed(problem) ? problem : null;
    }

    /**
     * Counts a failed save of the state file and has /health/ready report {@code problem} until a save succeeds again.
     * Returns whether the problem is new, so that a folder that stays broken is logged once.
     */
    private boolean storageFailed(String problem) {
        metrics.stateWriteFailure();
        boolean isNew = !problem.equals(storageProblem);
        storageProblem = problem;
        return isNew;
    }

    /**
     * Adds a round, synthetic or organic, to the round log on the calling thread (a worker pool), or records why it
     * could not be: the round's scores are kept whatever the log does, so a failure is a line (once while it repeats)
     * and a "not ready", not a failed round. Under a lock because synthetic and organic rounds append from different
     * pools, and a failure must not be recorded after a later append succeeded.
     */
    void appendRoundOrRecordWhy(RoundRecord round) {
        synchronized (appendLock) {
            try {
                roundLog.append(round);
                roundLogProblem = null;
            } catch (IOException e) {
                metrics.stateWriteFailure();
                String problem = "the round log " + roundLog.file().toAbsolutePath() + " cannot be written: "
                        + FileProblem.describe(e);
                if (!problem.equals(roundLogProblem)) {
                    ValidatorLog.roundNotLogged(round.organic() ? "organic round " + round.queryId()
                            : "round " + round.round(), problem);
                }
                roundLogProblem = problem;
            }
        }
    }

    /** What /health/ready reports: {@code chain}'s view, unless the state cannot be saved or the round log written. */
    Readiness readiness(Readiness chain) {
        String stateProblem = storageProblem;
        String problem = stateProblem != null ? stateProblem : roundLogProblem;
        return problem == null ? chain : Readiness.notReady(problem + "; fix the folder (permissions, free space)");
    }

    /** The stop's last write: saves the state on the disk pool, then closes the folder whether or not the save worked. */
    Future<Void> saveAndClose() {
        return diskPool.executeBlocking(() -> {
            try {
                save();
            } catch (IOException e) {
                throw new IOException("the state could not be saved at shutdown: " + FileProblem.describe(e)
                        + "; the scores since the last save are lost", e);
            } finally {
                closeReporting();
            }
            return null;
        }, false);
    }

    /**
     * After a failed start: closes the folder on the disk pool and saves nothing, since the state file that made the
     * start fail may be another validator's.
     */
    Future<Void> close() {
        return diskPool.executeBlocking(() -> {
            closeFiles();
            return null;
        }, false);
    }

    /** The state is saved by then: a round log or lock that fails to close is worth a line, not a lost state. */
    private void closeReporting() {
        try {
            closeFiles();
        } catch (IOException e) {
            ValidatorLog.filesNotClosed(FileProblem.describe(e));
        }
    }

    /** The round log, then the state folder's lock: another validator may take the folder once nothing writes to it. */
    private void closeFiles() throws IOException {
        try {
            roundLog.close();
        } finally {
            lock.close();
        }
    }
}
