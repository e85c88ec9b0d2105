package dev.chorus.miner.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/** Records what the miner's operator log ({@code dev.chorus.miner}) says while open, for tests of its wording. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.chorus.miner");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    public LogCapture() {
        events.start();
        logger.addAppender(events);
    }

    /** Every line logged at {@code level}, formatted, in order. */
    public List<String> lines(Level level) {
        return recorded().stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The lines logged at {@code level} with a stack trace, formatted, in order. */
    public List<String> linesWithStackTrace(Level level) {
        return recorded().stream().filter(e -> e.getLevel() == level && e.getThrowableProxy() != null)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    /**
     * The events so far. {@code ListAppender.list} is a plain ArrayList that logging threads append to inside
     * {@code AppenderBase.doAppend}, which holds the appender's monitor: copying under it never sees a half-done add.
     */
    private List<ILoggingEvent> recorded() {
        synchronized (events) {
            return List.copyOf(events.list);
        }
    }

    /** Waits until a line at {@code level} contains {@code text}; false if none did within {@code timeout}. */
    public boolean await(Level level, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines(level).stream().noneMatch(line -> line.contains(text))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        logger.detachAppender(events);
        events.stop();
    }
}
