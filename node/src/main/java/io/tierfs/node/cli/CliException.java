package io.tierfs.node.cli;

/** An expected failure of a command: printed as one line, exit code 1, no stack trace. */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
