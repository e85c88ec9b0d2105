package dev.chorus.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the validator keeps what must survive a restart.
 *
 * @param dir              folder of the state file and the round log
 * @param roundLogMaxBytes the round log rotates when it grows past this size
 * @param roundLogKeep     rotated round logs kept
 */
public record StateSettings(Path dir, long roundLogMaxBytes, int roundLogKeep) implements Settings {

    public static StateSettings defaults() {
        return new StateSettings(Path.of("state"), 64L * 1024 * 1024, 5);
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        if (dir == null) {
            problems.add(prefix + "dir: empty; name a folder the validator may write");
        }
        Checks.range(prefix + "round_log_max_bytes", roundLogMaxBytes, 4096, Long.MAX_VALUE, problems);
        Checks.range(prefix + "round_log_keep", roundLogKeep, 1, 1000, problems);
    }
}
