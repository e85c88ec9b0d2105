package dev.chorus.validator.hardening;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Records every event logged through the root logger, stack traces included, and finds private keys in it: a key
 * counts as leaked when its 64 hex digits appear in any case, with or without {@code 0x}.
 */
public final class LogSecretScan implements AutoCloseable {

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    private LogSecretScan() {
        events.start();
        root().addAppender(events);
    }

    /** Starts recording; {@link #close} stops. */
    public static LogSecretScan start() {
        return new LogSecretScan();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    public int events() {
        return recorded().size();
    }

    /** Everything recorded so far, one event a line, each followed by its stack trace if it has one. */
    public String text() {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent event : recorded()) {
            all.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                all.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
            }
        }
        return all.toString();
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

    /**
     * The positions in {@code privateKeys} (hex, with or without 0x) of the keys that occur in {@code text}: positions,
     * so that a failing assertion does not print the secret it found.
     */
    public static List<Integer> leaked(String text, List<String> privateKeys) {
        String haystack = text.toLowerCase(Locale.ROOT);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < privateKeys.size(); i++) {
            String key = privateKeys.get(i);
            String hex = key.toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("not a 32-byte hex private key: " + hex.length() + " characters");
            }
            if (haystack.contains(hex)) {
                found.add(i);
            }
        }
        return found;
    }

    @Override
    public void close() {
        root().detachAppender(events);
        events.stop();
    }
}
