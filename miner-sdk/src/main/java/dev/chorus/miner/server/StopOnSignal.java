package dev.chorus.miner.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Runs a process's orderly stop once: on SIGTERM or SIGINT (Ctrl-C) on a thread of its own before the JVM begins to
 * shut down, then ends the process: with status 0, a service stopped as asked, or for work the signal cut short
 * with 128 + the signal's number (see {@link #install(String, Runnable, BooleanSupplier)}); and from the JVM's
 * shutdown for any other exit. A shutdown hook alone is not enough for a process that runs ONNX Runtime: the JVM
 * starts all its hooks at once, and ONNX Runtime's own releases the runtime's native environment then, so a model
 * that still runs after the signal (a round scoring, a query being answered) crashes the JVM in native code, with
 * nothing saved. A signal that comes while the stop runs changes nothing, as during the JVM's own shutdown (SIGKILL
 * ends the process at once); a signal the process was started ignoring (SIGINT of a background job) stays ignored.
 */
public final class StopOnSignal {

    private static final Logger LOG = LoggerFactory.getLogger(StopOnSignal.class);
    private static final String[] SIGNALS = {"TERM", "INT"};

    private final String name;
    private final Runnable stop;
    private final BooleanSupplier workDone;
    private final AtomicBoolean begun = new AtomicBoolean();
    /** The number of the signal that began the stop; 0 while none has. */
    private volatile int signalNumber;
    private final Thread hook;
    private final Map<Signal, SignalHandler> replaced = new LinkedHashMap<>();

    private StopOnSignal(String name, Runnable stop, BooleanSupplier workDone) {
        this.name = name;
        this.stop = stop;
        this.workDone = workDone;
        this.hook = new Thread(this::stopOnce, name);
    }

    /** Installs the handlers and the hook; {@code name} names the threads that run {@code stop}. */
    public static StopOnSignal install(String name, Runnable stop) {
        return install(name, stop, () -> true);
    }

    /**
     * As {@link #install(String, Runnable)}, for a process whose work a signal can cut short (a run that would end by
     * itself with a result): once {@code stop} has returned, {@code workDone} says whether the work was done, and if
     * not the process ends with 128 + the signal's number, as a shell reports a process the signal ended, so that a
     * script does not take a cut-short run for a finished one.
     */
    public static StopOnSignal install(String name, Runnable stop, BooleanSupplier workDone) {
        StopOnSignal installed = new StopOnSignal(name, stop, workDone);
        for (String signal : SIGNALS) {
            installed.handle(signal);
        }
        Runtime.getRuntime().addShutdownHook(installed.hook);
        return installed;
    }

    private void handle(String signalName) {
        try {
            Signal signal = new Signal(signalName);
            SignalHandler previous = Signal.handle(signal, received -> Thread.ofPlatform()
                    .name(name + "-" + received.getName()).daemon(false).start(() -> onSignal(received)));
            if (previous == SignalHandler.SIG_IGN) {
                Signal.handle(signal, SignalHandler.SIG_IGN);
            } else {
                replaced.put(signal, previous);
            }
        } catch (IllegalArgumentException notOnThisPlatform) {
            LOG.debug("SIG{} cannot be handled here ({}); it stops the process through the JVM's shutdown", signalName,
                    notOnThisPlatform.getMessage());
        }
    }

    /** A stop that throws still ends the process, which the signal asked for: with status 1, and the failure logged. */
    private void onSignal(Signal received) {
        int status;
        try {
            signalNumber = received.getNumber();
            if (!stopOnce()) {
                return;
            }
            status = exitStatus();
        } catch (RuntimeException | Error failed) {
            LOG.error("the stop on SIG{} failed; exiting all the same", received.getName(), failed);
            status = 1;
        }
        System.exit(status);
    }

    /**
     * The status the process ends with after a signal's stop: 0, or 128 + the signal's number when the work was cut
     * short. For the thread whose work the signal cut short, which may reach its own exit first.
     */
    public int exitStatus() {
        int received = signalNumber;
        return received == 0 || workDone.getAsBoolean() ? 0 : 128 + received;
    }

    /**
     * Stops now, on the calling thread, unless a signal or the JVM's shutdown has begun the stop already (then it
     * returns at once), and takes the handlers and the hook back: for a caller that ends the process's work itself,
     * such as a command run inside another program.
     */
    public void stopNow() {
        release();
        stopOnce();
    }

    /**
     * Gives the signals back to the handlers they had and removes the hook, without stopping: for a caller whose work
     * ended by itself while the JVM goes on. A stop a signal has begun runs on.
     */
    public void release() {
        replaced.forEach(Signal::handle);
        replaced.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs the stop, or already has
        }
    }

    /** Whether this call ran the stop: false when another had begun it. */
    private boolean stopOnce() {
        if (!begun.compareAndSet(false, true)) {
            return false;
        }
        stop.run();
        return true;
    }
}
