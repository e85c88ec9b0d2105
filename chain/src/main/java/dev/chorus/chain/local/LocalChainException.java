package dev.chorus.chain.local;

/** The local chain could not be started or reached; the message says what to do about it. */
public final class LocalChainException extends RuntimeException {

    public LocalChainException(String message) {
        super(message);
    }

    public LocalChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
