package io.tierfs.borrow;

/**
 * A meminfo file is missing, unreadable or lacks a well-formed line. A lender that cannot read its memory must not
 * guess (offering memory it does not have would make its own jobs swap), so this is an error, not a default.
 */
public class MeminfoException extends RuntimeException {
    public MeminfoException(String message) {
        super(message);
    }

    public MeminfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
