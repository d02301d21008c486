package io.tierfs.borrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * How much memory lent slabs under a tmpfs directory hold. Java exposes no st_blocks, so there are two measures,
 * each right for one question:
 * <ul>
 *   <li>{@link #logicalBytes(Path)}: the sum of the sizes of the regular files under a directory. Exact for the
 *       lender's own files as TierFS writes them (chunks are written in full, never sparse), and unaffected by other
 *       users of the mount. This is the {@code bytesLentNow} a lender feeds to its {@link
 *       io.tierfs.borrow.lender.OfferPolicy}. It over-states memory for sparse files (a hole costs nothing on
 *       tmpfs) and cannot see pages still held by a deleted file that some process keeps open or mapped.</li>
 *   <li>{@link #mountUsedBytes(Path)}: total minus unallocated space of the file system that holds the path (for
 *       tmpfs: the pages it really holds, holes excluded, deleted-but-still-mapped files included), but for the whole
 *       mount, other users' files too. A test that must prove memory went back to the OS compares this figure
 *       before and after a release: it falls only when the pages are really freed. Use an amount well above what
 *       concurrent users of the mount may change meanwhile (tens of MiB on a shared {@code /dev/shm}).</li>
 * </ul>
 */
public final class ShmUsage {
    private ShmUsage() {
    }

    /**
     * The sum of the sizes of the regular files under {@code dir} (recursively; symbolic links not followed); 0 if
     * {@code dir} does not exist. Files deleted while the walk runs are skipped.
     *
     * @throws UncheckedIOException if the directory cannot be walked
     */
    public static long logicalBytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(ShmUsage::regularSize).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long regularSize(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.size() : 0;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * Bytes in use on the whole file system holding {@code path} (total minus unallocated); for tmpfs, the memory
     * its pages take. {@code path} must exist.
     *
     * @throws UncheckedIOException if the file system cannot be asked
     */
    public static long mountUsedBytes(Path path) {
        FileStore store = store(path);
        try {
            return store.getTotalSpace() - store.getUnallocatedSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read usage of the file system of " + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code path} lives on a tmpfs (memory), as lent slabs must for a release to give memory back. */
    public static boolean isTmpfs(Path path) {
        return store(path).type().equals("tmpfs");
    }

    private static FileStore store(Path path) {
        try {
            return Files.getFileStore(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find the file system of " + path + ": " + e.getMessage(), e);
        }
    }
}
