package dev.chorus.validator;

import java.util.List;

/** What a failure comes down to, read through its causes, which wrappers (chain clients, futures) add in layers. */
public final class CauseChain {

    private CauseChain() {
    }

    /** Whether {@code failure} or any of its causes is of one of {@code kinds}. */
    public static boolean contains(Throwable failure, List<Class<? extends Throwable>> kinds) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            for (Class<? extends Throwable> kind : kinds) {
                if (kind.isInstance(cause)) {
                    return true;
                }
            }
        }
        return false;
    }
}
