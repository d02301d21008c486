package io.tierfs.common;

/** The product version and the on-disk format version of the state directory. */
public final class Version {
    public static final String PRODUCT = "0.1.0";
    /** Bumped whenever the state directory layout changes incompatibly. */
    public static final int STATE_FORMAT = 1;

    private Version() {
    }
}
