package dev.chorus.chain.local;

import java.util.OptionalInt;

/** The local chain could not be started or reached; the message says what to do about it. */
public final class LocalChainException extends RuntimeException {

    /** The loopback port that was taken, or -1 for any other failure. */
    private final int portInUse;

    public LocalChainException(String message) {
        this(message, null);
    }

    public LocalChainException(String message, Throwable cause) {
        this(message, cause, -1);
    }

    private LocalChainException(String message, Throwable cause, int portInUse) {
        super(message, cause);
        this.portInUse = portInUse;
    }

    /** The chain's port is taken: a caller that knows its own option for the port can name it. */
    static LocalChainException portInUse(int port, Throwable cause) {
        return new LocalChainException("loopback port " + port + " is already in use (another local chain?); stop that"
                + " process or choose another port (0 picks a free one)", cause, port);
    }

    /** The port that was taken, when that is why the chain did not start. */
    public OptionalInt portInUse() {
        return portInUse < 0 ? OptionalInt.empty() : OptionalInt.of(portInUse);
    }
}
