package dev.chorus.cli;

/** Input the user can fix (a missing file, a malformed line); printed as-is and exits 2. */
public final class UserInputException extends RuntimeException {

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
