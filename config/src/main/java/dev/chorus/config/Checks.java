package dev.chorus.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The range checks every settings record needs, worded the same way everywhere. */
final class Checks {

    private static final Duration ONE_MILLI = Duration.ofMillis(1);

    private Checks() {
    }

    static void positive(String key, Duration value, List<String> problems) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(key + ": " + Durations.format(value) + " must be a positive duration, e.g. 500ms, 12s or 2m");
        } else if (value.compareTo(ONE_MILLI) < 0) {
            // Every user of these works in whole milliseconds, where this is 0: no timeout at all to OkHttp, and a
            // timer Vert.x refuses to set.
            problems.add(key + ": " + Durations.format(value) + " is shorter than 1ms, the least a duration setting"
                    + " takes; write e.g. 500ms, 12s or 2m");
        }
    }

    static void notLonger(String key, Duration value, String limitKey, Duration limit, String consequence,
                          List<String> problems) {
        if (value != null && limit != null && value.compareTo(limit) > 0) {
            problems.add(key + ": " + Durations.format(value) + " is longer than " + limitKey + " "
                    + Durations.format(limit) + "; " + consequence);
        }
    }

    static void range(String key, long value, long min, long max, List<String> problems) {
        if (value < min || value > max) {
            problems.add(key + ": " + value + " is outside " + min + ".." + max);
        }
    }

    static void range(String key, double value, double min, double max, List<String> problems) {
        if (!(value >= min && value <= max)) {
            problems.add(key + ": " + value + " is outside " + min + ".." + max);
        }
    }

    /** A share that must be above 0: at 0 the setting would switch off what it tunes. */
    static void positiveFraction(String key, double value, String whyNotZero, List<String> problems) {
        if (!(value > 0 && value <= 1)) {
            problems.add(key + ": " + value + " must be above 0 and at most 1 (" + whyNotZero + ")");
        }
    }

    static void port(String key, int value, List<String> problems) {
        range(key, value, 0, 65535, problems);
    }

    static void oneOf(String key, String value, List<String> allowed, List<String> problems) {
        if (!allowed.contains(value)) {
            problems.add(key + ": '" + value + "' is not one of " + String.join(", ", allowed));
        }
    }

    /**
     * A listener's TLS files: none (plain HTTP) or both, each a readable file. The server reads them as PEM; a file it
     * cannot parse stops the start with its own message.
     */
    static void tlsFiles(String prefix, String certFile, String keyFile, List<String> problems) {
        boolean cert = certFile != null && !certFile.isBlank();
        boolean key = keyFile != null && !keyFile.isBlank();
        if (cert != key) {
            problems.add(prefix + (cert ? "tls_key_file" : "tls_cert_file") + ": empty while "
                    + (cert ? "tls_cert_file" : "tls_key_file") + " is set; give both PEM files for https, or neither");
            return;
        }
        if (cert) {
            readablePem(prefix + "tls_cert_file", certFile, "certificate (chain)", problems);
            readablePem(prefix + "tls_key_file", keyFile, "private key", problems);
        }
    }

    private static void readablePem(String key, String file, String what, List<String> problems) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            problems.add(key + ": " + file + " is not a readable file; give the PEM " + what + " for https");
        }
    }

    /** Whether {@code text} is an IPv4 or IPv6 literal ({@link IpLiteral}: no DNS lookup). */
    static boolean isIpLiteral(String text) {
        return IpLiteral.parse(text).isPresent();
    }
}
