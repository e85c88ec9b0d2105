package dev.chorus.validator.admin;

/** Whether the validator can do its job now, and if not, the first reason why. */
public record Readiness(boolean ready, String reason) {

    public static Readiness ok() {
        return new Readiness(true, "");
    }

    public static Readiness notReady(String reason) {
        return new Readiness(false, reason);
    }
}
