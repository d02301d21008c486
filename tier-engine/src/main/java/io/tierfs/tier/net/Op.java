package io.tierfs.tier.net;

/** The operations of the data-plane protocol, with their code on the wire. */
enum Op {
    PING(0), READ(1), WRITE(2), SIZE(3), TRUNCATE(4), DELETE(5), LIST(6), CRC(7), DELETE_OWNER(8), FSYNC(9),
    /** A file's O_APPEND write, applied at the end its home knows; added last: codes are positions. */
    APPEND(10),
    /** Asks a file's data home which member holds chunks of the file, claiming the unclaimed ones for the asker. */
    CLAIM(11);

    private static final Op[] BY_CODE = values();

    final byte code;

    Op(int code) {
        this.code = (byte) code;
    }

    static Op of(byte code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown data-plane op code " + code);
        }
        return BY_CODE[code];
    }

    /** Ops that name one chunk (the others name only an owner, or nothing). */
    boolean keyed() {
        return this != PING && this != LIST && this != DELETE_OWNER;
    }
}
