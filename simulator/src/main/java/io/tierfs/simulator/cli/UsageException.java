package io.tierfs.simulator.cli;

/** A malformed command line: printed with the usage, exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
