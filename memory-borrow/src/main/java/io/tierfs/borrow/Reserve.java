package io.tierfs.borrow;

import io.tierfs.common.config.ConfigException;

/**
 * The memory a lender keeps for its own jobs: a fixed size, or a share of the machine's MemTotal (so that one
 * configuration fits nodes of different sizes).
 */
public sealed interface Reserve {

    /** The reserve in bytes on a machine with {@code memTotalBytes} of memory. */
    long bytes(long memTotalBytes);

    /** A fixed number of bytes. */
    record Fixed(long bytes) implements Reserve {
        public Fixed {
            if (bytes < 0) {
                throw new ConfigException("tierfs.lend.reserve must not be negative, got " + bytes);
            }
        }

        @Override
        public long bytes(long memTotalBytes) {
            return bytes;
        }

        @Override
        public String toString() {
            return ByteSizes.human(bytes);
        }
    }

    /** A fraction (0..1) of MemTotal, written "25%" in the configuration. */
    record OfTotal(double fraction) implements Reserve {
        public OfTotal {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new ConfigException("tierfs.lend.reserve must be between 0% and 100%, got " + fraction * 100 + "%");
            }
        }

        @Override
        public long bytes(long memTotalBytes) {
            return (long) Math.ceil(memTotalBytes * fraction);
        }

        @Override
        public String toString() {
            return (fraction * 100) + "% of MemTotal";
        }
    }
}
