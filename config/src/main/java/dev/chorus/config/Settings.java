package dev.chorus.config;

import java.util.List;

/** A settings record that can check itself; problems are sentences an operator can act on. */
public interface Settings {

    /**
     * Adds one sentence per problem to {@code problems}, each starting with {@code prefix} (the dotted
     * path of this section, e.g. {@code "chain."}).
     */
    void validate(String prefix, List<String> problems);
}
