package io.tierfs.simulator.trace;

/** A trace line that cannot be read; the message names the file and the line number. */
public final class TraceFormatException extends RuntimeException {
    private final long line;

    public TraceFormatException(String source, long line, String problem) {
        super(source + " line " + line + ": " + problem);
        this.line = line;
    }

    public long line() {
        return line;
    }
}
