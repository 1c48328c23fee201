package io.ferry.rdb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A key's value exactly as serialized in the RDB (type byte first): the body of a DUMP/RESTORE
 * payload. Small values live in memory; values above the capture's memory limit were spilled to
 * a temp file, so a huge key never has to fit in the heap. Call {@link #release()} when done.
 */
public final class RawValue {
    private final byte[] mem;
    private final Path file;
    private final long size;

    RawValue(byte[] mem) {
        this.mem = mem;
        this.file = null;
        this.size = mem.length;
    }

    RawValue(Path file, long size) {
        this.mem = null;
        this.file = file;
        this.size = size;
    }

    public static RawValue of(byte[] serialized) {
        return new RawValue(serialized);
    }

    public long size() {
        return size;
    }

    public boolean inMemory() {
        return mem != null;
    }

    /** The bytes; only for in-memory values. */
    public byte[] bytes() {
        if (mem == null) {
            throw new IllegalStateException("value of " + size + " bytes was spilled to disk");
        }
        return mem;
    }

    public int rdbType() {
        if (mem != null) {
            return mem[0] & 0xff;
        }
        try (InputStream in = open()) {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether this value could be an empty collection, judged from its header alone: false means
     * it certainly holds an element (or is no collection); true means only decoding can tell.
     * Lets the restore path skip decoding the many small values that obviously hold something.
     */
    public boolean mayBeEmptyCollection() {
        if (mem == null) {
            return false; // spilled: far too large to be empty
        }
        byte[] v = mem;
        switch (v[0] & 0xff) {
            case RdbType.STRING: case RdbType.MODULE_2:
            case RdbType.STREAM_LISTPACKS: case RdbType.STREAM_LISTPACKS_2: case RdbType.STREAM_LISTPACKS_3:
                return false;
            case RdbType.LIST: case RdbType.SET: case RdbType.ZSET: case RdbType.ZSET_2: case RdbType.HASH:
            case RdbType.HASH_METADATA_PRE_GA:
                return lengthAt(v, 1) <= 0;
            case RdbType.HASH_METADATA:
                return lengthAt(v, 9) <= 0;
            case RdbType.LIST_QUICKLIST: case RdbType.LIST_QUICKLIST_2:
                return lengthAt(v, 1) <= 1; // one node might hold an empty pack
            case RdbType.HASH_ZIPMAP: {
                int blob = blobAt(v, 1, 1);
                return blob < 0 || (v[blob] & 0xff) == 0 || (v[blob] & 0xff) >= 254;
            }
            case RdbType.LIST_ZIPLIST: case RdbType.ZSET_ZIPLIST: case RdbType.HASH_ZIPLIST:
                return packCountUnknownOrZero(v, blobAt(v, 1, 10), 8);
            case RdbType.SET_INTSET: {
                int blob = blobAt(v, 1, 8);
                return blob < 0 || (v[blob + 4] | v[blob + 5] | v[blob + 6] | v[blob + 7]) == 0;
            }
            case RdbType.SET_LISTPACK: case RdbType.ZSET_LISTPACK: case RdbType.HASH_LISTPACK:
            case RdbType.HASH_LISTPACK_EX_PRE_GA:
                return packCountUnknownOrZero(v, blobAt(v, 1, 6), 4);
            case RdbType.HASH_LISTPACK_EX:
                return packCountUnknownOrZero(v, blobAt(v, 9, 6), 4);
            default:
                return true;
        }
    }

    /** A ziplist/listpack element count (u16 LE at {@code at}): 0, or 0xffff meaning "count them". */
    private static boolean packCountUnknownOrZero(byte[] v, int blob, int at) {
        if (blob < 0) {
            return true;
        }
        int n = (v[blob + at] & 0xff) | (v[blob + at + 1] & 0xff) << 8;
        return n == 0 || n == 0xffff;
    }

    /** An RDB length at {@code off}; -1 when it is not a plain length or runs past the end. */
    private static long lengthAt(byte[] v, int off) {
        if (off >= v.length) {
            return -1;
        }
        int b = v[off] & 0xff;
        int width = b >>> 6 == 0 ? 0 : b >>> 6 == 1 ? 1 : b == 0x80 ? 4 : b == 0x81 ? 8 : -1;
        if (width < 0 || off + width >= v.length) {
            return -1;
        }
        long n = width <= 1 ? b & 0x3f : 0;
        for (int i = 1; i <= width; i++) {
            n = n << 8 | (v[off + i] & 0xff);
        }
        return n < 0 ? Long.MAX_VALUE : n;
    }

    /**
     * The offset of an uncompressed RDB string's bytes whose length prefix is at {@code off}, or
     * -1 when the string is compressed, integer-encoded, or shorter than {@code need} bytes.
     */
    private static int blobAt(byte[] v, int off, int need) {
        long len = lengthAt(v, off);
        if (len < need) {
            return -1;
        }
        int b = v[off] & 0xff;
        int prefix = b >>> 6 == 0 ? 1 : b >>> 6 == 1 ? 2 : b == 0x80 ? 5 : 9;
        int start = off + prefix;
        return start + need <= v.length ? start : -1;
    }

    public InputStream open() throws IOException {
        return mem != null ? new ByteArrayInputStream(mem) : Files.newInputStream(file);
    }

    /** Decodes the value element by element (from memory or from the spill file). */
    public void decode(ValueSink sink) {
        if (mem != null) {
            RdbReader.decodeValue(mem, sink);
            return;
        }
        try (InputStream in = open()) {
            RdbReader.decodeValue(in, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void release() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless; the spill dir is cleaned at exit
            }
        }
    }
}
