package io.tierfs.simulator.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Lines of a byte stream, handed out in place ({@link #buf}, {@link #start}, {@link #end}) without a String per
 * line: the trace parsers read a million lines a second through this. Memory is one buffer (grown only for a
 * line longer than it), whatever the size of the stream.
 */
final class LineReader implements AutoCloseable {
    byte[] buf;
    int start;
    int end;
    private int pos;
    private int limit;
    private final InputStream in;
    private boolean eof;
    private long line;
    private long consumed;

    LineReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /** Advances to the next line (without its \n or \r\n); false at the end of the stream. */
    boolean next() {
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    start = pos;
                    end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    consumed += i + 1 - pos;
                    pos = i + 1;
                    line++;
                    return true;
                }
            }
            if (eof) {
                if (pos < limit) {
                    start = pos;
                    end = limit > pos && buf[limit - 1] == '\r' ? limit - 1 : limit;
                    consumed += limit - pos;
                    pos = limit;
                    line++;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void fill() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        try {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 1-based number of the current line. */
    long lineNumber() {
        return line;
    }

    /** Bytes consumed so far (for progress). */
    long consumed() {
        return consumed;
    }

    String text() {
        return new String(buf, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
