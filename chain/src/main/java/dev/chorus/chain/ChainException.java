package dev.chorus.chain;

/** A chain call failed: the node was unreachable, too slow, or refused the request. */
public class ChainException extends RuntimeException {

    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
