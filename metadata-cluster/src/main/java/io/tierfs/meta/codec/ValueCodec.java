package io.tierfs.meta.codec;

import io.tierfs.common.Attr;
import io.tierfs.common.FileType;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Removal;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.RenameIntent;
import io.tierfs.meta.state.Replies;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Function;

/**
 * Binary form of the small value types that directory events and replies are made of (Attr, Dentry, rename
 * intents, reply values). Fixed field order, no names, no class names: a field change needs a new event tag in
 * {@link DirEventSerializer}. Reply values of other types go through {@code fallback} (Jackson), tagged as such.
 */
final class ValueCodec {
    /** Reply-value tags (one byte); the order is part of the journal format. */
    private static final int NULL = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int LONG = 3;
    private static final int ATTR = 4;
    private static final int ENTRY = 5;
    private static final int UNLINKED = 6;
    private static final int REPLACED = 7;
    private static final int REMOVAL = 8;
    private static final int OTHER = 9;

    private ValueCodec() {
    }

    /**
     * Set in the type word of an Attr that carries a device number (st_rdev), which then follows the ctime. Rows
     * written before device nodes existed never have it, so they read as before (rdev 0).
     */
    private static final int HAS_RDEV = 1 << 30;

    static void attr(DataOutput out, Attr a) throws IOException {
        out.writeLong(a.ino());
        out.writeInt(a.type().ifmt() | (a.rdev() != 0 ? HAS_RDEV : 0));
        out.writeInt(a.mode());
        out.writeInt(a.nlink());
        out.writeInt(a.uid());
        out.writeInt(a.gid());
        out.writeLong(a.size());
        out.writeLong(a.atimeNs());
        out.writeLong(a.mtimeNs());
        out.writeLong(a.ctimeNs());
        if (a.rdev() != 0) {
            out.writeLong(a.rdev());
        }
    }

    static Attr attr(DataInput in) throws IOException {
        long ino = in.readLong();
        int type = in.readInt();
        Attr a = new Attr(ino, FileType.fromMode(type & ~HAS_RDEV), in.readInt(), in.readInt(), in.readInt(),
                in.readInt(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        return (type & HAS_RDEV) == 0 ? a : new Attr(a.ino(), a.type(), a.mode(), a.nlink(), a.uid(), a.gid(),
                a.size(), a.atimeNs(), a.mtimeNs(), a.ctimeNs(), in.readLong());
    }

    static void optAttr(DataOutput out, Attr a) throws IOException {
        out.writeBoolean(a != null);
        if (a != null) {
            attr(out, a);
        }
    }

    static Attr optAttr(DataInput in) throws IOException {
        return in.readBoolean() ? attr(in) : null;
    }

    static void dentry(DataOutput out, Dentry d) throws IOException {
        out.writeLong(d.ino());
        out.writeInt(d.type().ifmt());
        out.writeLong(d.home());
    }

    static Dentry dentry(DataInput in) throws IOException {
        return new Dentry(in.readLong(), FileType.fromMode(in.readInt()), in.readLong());
    }

    static void optDentry(DataOutput out, Dentry d) throws IOException {
        out.writeBoolean(d != null);
        if (d != null) {
            dentry(out, d);
        }
    }

    static Dentry optDentry(DataInput in) throws IOException {
        return in.readBoolean() ? dentry(in) : null;
    }

    static void optString(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    static String optString(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    static void bytes(DataOutput out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    static byte[] bytes(DataInput in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    static void intent(DataOutput out, RenameIntent i) throws IOException {
        out.writeLong(i.txid());
        out.writeUTF(i.srcName());
        out.writeLong(i.child());
        out.writeLong(i.dstDir());
        out.writeUTF(i.dstName());
        out.writeLong(i.victim());
        optDentry(out, i.movedEntry());
        optDentry(out, i.victimEntry());
    }

    static RenameIntent intent(DataInput in) throws IOException {
        return new RenameIntent(in.readLong(), in.readUTF(), in.readLong(), in.readLong(), in.readUTF(),
                in.readLong(), optDentry(in), optDentry(in));
    }

    static void removal(DataOutput out, Removal r) throws IOException {
        out.writeBoolean(r != null);
        if (r != null) {
            out.writeLong(r.ref().ino());
            out.writeLong(r.ref().home());
            optAttr(out, r.attr());
            out.writeBoolean(r.lastLink());
        }
    }

    static Removal removal(DataInput in) throws IOException {
        return in.readBoolean() ? new Removal(new InodeRef(in.readLong(), in.readLong()), optAttr(in), in.readBoolean())
                : null;
    }

    /**
     * A reply value as recorded in an Answered event. {@code fallback} serializes values of any other type (to
     * bytes that {@link #reply(DataInput, Function)}'s fallback reads back).
     */
    static void reply(DataOutput out, Object v, Function<Object, byte[]> fallback) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof Attr a) {
            out.writeByte(ATTR);
            attr(out, a);
        } else if (v instanceof Replies.Entry e) {
            out.writeByte(ENTRY);
            optDentry(out, e.dentry());
            optAttr(out, e.attr());
        } else if (v instanceof Replies.Unlinked u) {
            out.writeByte(UNLINKED);
            optDentry(out, u.dentry());
            removal(out, u.removal());
        } else if (v instanceof Replies.Replaced r) {
            out.writeByte(REPLACED);
            optDentry(out, r.replaced());
            removal(out, r.removal());
        } else if (v instanceof Removal r) {
            out.writeByte(REMOVAL);
            removal(out, r);
        } else {
            out.writeByte(OTHER);
            bytes(out, fallback.apply(v));
        }
    }

    static Object reply(DataInput in, Function<byte[], Object> fallback) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case LONG -> in.readLong();
            case ATTR -> attr(in);
            case ENTRY -> new Replies.Entry(optDentry(in), optAttr(in));
            case UNLINKED -> new Replies.Unlinked(optDentry(in), removal(in));
            case REPLACED -> new Replies.Replaced(optDentry(in), removal(in));
            case REMOVAL -> removal(in);
            case OTHER -> fallback.apply(bytes(in));
            default -> throw new IOException("unknown reply tag " + tag);
        };
    }
}
