package dev.chorus.miner.server;

/** A query the server will not answer; carries the reason and a one-line detail for the caller. */
final class RefusedException extends RuntimeException {

    private final Rejection reason;

    public RefusedException(Rejection reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Rejection reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
