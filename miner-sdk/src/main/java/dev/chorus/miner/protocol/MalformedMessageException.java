package dev.chorus.miner.protocol;

/** A body or header that does not follow PROTOCOL.md; the message says which part and why. */
public final class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
