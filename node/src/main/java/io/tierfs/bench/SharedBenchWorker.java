package io.tierfs.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * One process of {@link SharedBench}: opens its file, says {@code ready}, waits for {@code go} on stdin, writes or
 * reads its transfers and prints {@code done START_NANOS END_NANOS BYTES} (System.nanoTime is CLOCK_MONOTONIC on
 * Linux, so the parent can compare the processes' clocks). A read checks every byte against {@link SharedPattern}
 * and fails the run, naming the offset, on the first wrong one: a benchmark that loses data must not print a figure.
 * <p>
 * Usage (by the parent only): {@code write|read PATH TRANSFER_BYTES FIRST_OFFSET COUNT STRIDE_BYTES SEED FSYNC}.
 */
public final class SharedBenchWorker {
    private SharedBenchWorker() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            Job job = Job.parse(args);
            out.println(run(job, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out));
            out.flush();
            System.exit(0);
        } catch (Exception e) {
            out.println("error " + e.getMessage().replace('\n', ' '));
            out.flush();
            System.exit(1);
        }
    }

    /** What one worker does; see the class comment for the order of the arguments. */
    record Job(boolean write, Path path, int transfer, long firstOffset, long count, long stride, long seed,
               boolean fsync) {
        static Job parse(String[] a) {
            if (a.length != 8 || !(a[0].equals("write") || a[0].equals("read"))) {
                throw new IllegalArgumentException("usage: write|read PATH TRANSFER FIRST COUNT STRIDE SEED FSYNC");
            }
            return new Job(a[0].equals("write"), Path.of(a[1]), Integer.parseInt(a[2]), Long.parseLong(a[3]),
                    Long.parseLong(a[4]), Long.parseLong(a[5]), Long.parseLong(a[6]), Boolean.parseBoolean(a[7]));
        }

        String[] toArgs() {
            return new String[]{write ? "write" : "read", path.toString(), Integer.toString(transfer),
                    Long.toString(firstOffset), Long.toString(count), Long.toString(stride), Long.toString(seed),
                    Boolean.toString(fsync)};
        }
    }

    /**
     * A direct buffer that starts on a page boundary, as IOR's and fio's transfer buffers do. Why: the kernel sends a
     * FUSE request of at most 256 pages, and a 1 MiB buffer that does not start on a page spans 257, so every
     * transfer would cost two requests (1020 KiB and 4 KiB) where IOR's costs one (counted on three members: about
     * 3,000 write requests per member for 1,536 transfers of 1 MiB before).
     */
    static ByteBuffer pageAligned(int size) {
        return ByteBuffer.allocateDirect(size + 2 * PAGE).alignedSlice(PAGE).limit(size).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    private static final int PAGE = 4096;

    static String run(Job job, BufferedReader in, PrintStream out) throws IOException {
        Set<StandardOpenOption> opts = job.write() ? Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                : Set.of(StandardOpenOption.READ);
        ByteBuffer buf = pageAligned(job.transfer());
        ByteBuffer expected = pageAligned(job.transfer());
        long start;
        long bytes = 0;
        try (FileChannel ch = FileChannel.open(job.path(), opts)) {
            out.println("ready");
            out.flush();
            String go = in.readLine();
            if (!"go".equals(go)) {
                throw new IOException("expected 'go' from the bench, got " + go);
            }
            start = System.nanoTime();
            for (long k = 0; k < job.count(); k++) {
                long off = job.firstOffset() + k * job.stride();
                if (job.write()) {
                    SharedPattern.fill(buf, off, job.seed());
                    while (buf.hasRemaining()) {
                        bytes += ch.write(buf, off + buf.position());
                    }
                } else {
                    buf.clear();
                    while (buf.hasRemaining()) {
                        int n = ch.read(buf, off + buf.position());
                        if (n < 0) {
                            throw new IOException(job.path() + ": end of file at " + (off + buf.position())
                                    + ", expected " + job.transfer() + " bytes from " + off);
                        }
                        bytes += n;
                    }
                    buf.flip();
                    SharedPattern.fill(expected, off, job.seed());
                    int at = buf.mismatch(expected);
                    if (at >= 0) {
                        throw new IOException(job.path() + ": wrong byte at offset " + (off + at)
                                + " (a writer's data was lost or overwritten)");
                    }
                }
            }
            if (job.write() && job.fsync()) {
                ch.force(false);
            }
        } // the close (FLUSH, RELEASE) is part of the measured time, as in IOR
        long end = System.nanoTime();
        return "done " + start + " " + end + " " + bytes;
    }
}
