package io.ferry.rdb;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Streaming RDB reader: walks an RDB from any InputStream (file, replication socket) and hands
 * each key to an {@link RdbHandler}, decoding values element by element. Supports RDB versions
 * 1–14 ("REDIS00NN", Redis' type numbering) and Valkey's "VALKEY080" (Valkey's numbering: the two
 * disagree on type 22 and opcode 243, see {@link RdbType}). Nothing larger than one element or one compact
 * blob is held in memory, except the optional raw-payload capture, which has its own limit, and
 * streams, which are handed over whole (their consumer groups refer across entries; a 200k-entry
 * stream takes about 40 MB).
 */
public final class RdbReader {
    public static final int MAX_REDIS_VERSION = 14;
    public static final int VALKEY_VERSION = 80;

    /** Redis: module key metadata before a key's type byte. Valkey: a slot import in progress. */
    static final int OP_KEY_META_OR_SLOT_IMPORT = 243;
    static final int OP_SLOT_INFO = 244;
    static final int OP_FUNCTION2 = 245;
    static final int OP_FUNCTION_PRE_GA = 246;
    static final int OP_MODULE_AUX = 247;
    static final int OP_IDLE = 248;
    static final int OP_FREQ = 249;
    static final int OP_AUX = 250;
    static final int OP_RESIZEDB = 251;
    static final int OP_EXPIRETIME_MS = 252;
    static final int OP_EXPIRETIME = 253;
    static final int OP_SELECTDB = 254;
    static final int OP_EOF = 255;

    private final RdbInput in;
    private final CaptureMode capture;
    private int version;

    /**
     * How values are handed over. {@code NONE}: decoded into the handler's sink only.
     * Otherwise every value's raw serialized bytes are captured for {@code endKey} (kept in memory
     * up to {@code memoryLimit}, spilled to {@code spillDir} beyond, or dropped when that is null).
     */
    public record CaptureMode(boolean enabled, long memoryLimit, java.nio.file.Path spillDir) {
        public static final CaptureMode NONE = new CaptureMode(false, 0, null);

        public static CaptureMode raw(long memoryLimit, java.nio.file.Path spillDir) {
            return new CaptureMode(true, memoryLimit, spillDir);
        }
    }

    public RdbReader(InputStream input, CaptureMode capture) {
        this(new RdbInput(input), capture);
    }

    private RdbReader(RdbInput in, CaptureMode capture) {
        this.in = in;
        this.capture = capture;
    }

    public RdbReader(InputStream input) {
        this(input, CaptureMode.NONE);
    }

    /** A reader over bytes in memory without CRC, for the parts of a DUMP payload. */
    static RdbReader inMemory(byte[] data) {
        RdbReader r = new RdbReader(new RdbInput(data), CaptureMode.NONE);
        r.in.crcEnabled(false);
        return r;
    }

    /**
     * Decodes one serialized value (type byte first, as captured in a {@link RawValue}); the type
     * byte is read in Valkey's numbering when {@code valkeyTypes}.
     */
    public static void decodeValue(InputStream serialized, boolean valkeyTypes, ValueSink sink) {
        decodeValue(new RdbReader(serialized), valkeyTypes, sink);
    }

    /** Decodes one serialized value held in memory, reading the array in place. */
    public static void decodeValue(byte[] serialized, boolean valkeyTypes, ValueSink sink) {
        decodeValue(new RdbReader(new RdbInput(serialized), CaptureMode.NONE), valkeyTypes, sink);
    }

    private static void decodeValue(RdbReader r, boolean valkeyTypes, ValueSink sink) {
        r.version = valkeyTypes ? VALKEY_VERSION : MAX_REDIS_VERSION;
        r.valkey = valkeyTypes;
        r.in.crcEnabled(false);
        int type = r.valueTypeByte(r.in.u8("a value type"), 0);
        if (type == RdbType.MODULE_2) {
            throw new RdbFormatException("module values can only be restored as they are (RESTORE), not rewritten", 0);
        }
        try {
            ValueDecoder.decode(r, type, sink);
        } catch (IllegalArgumentException e) {
            throw new RdbFormatException("corrupt " + RdbType.name(type) + " value: " + e.getMessage(), r.offset(), e);
        }
    }

    /**
     * Whether a serialized value (type byte first) could be an empty collection, judged from its
     * header alone: false means it certainly holds an element (or is no collection); true means
     * only decoding can tell (an element count of 0 or "unknown", a compressed blob, corrupt data).
     */
    static boolean mayBeEmptyCollection(byte[] serialized, boolean valkeyTypes) {
        RdbReader r = new RdbReader(new RdbInput(serialized), CaptureMode.NONE);
        RdbInput in = r.in;
        in.crcEnabled(false);
        try {
            int type = RdbType.fromWire(in.u8("a value type"), valkeyTypes);
            switch (type) {
                case RdbType.STRING: case RdbType.MODULE_2:
                case RdbType.STREAM_LISTPACKS: case RdbType.STREAM_LISTPACKS_2: case RdbType.STREAM_LISTPACKS_3:
                case RdbType.STREAM_LISTPACKS_4: case RdbType.STREAM_LISTPACKS_5:
                    return false;
                case RdbType.LIST: case RdbType.SET: case RdbType.ZSET: case RdbType.ZSET_2: case RdbType.HASH:
                case RdbType.HASH_METADATA_PRE_GA: case RdbType.VALKEY_HASH_2: case RdbType.ARRAY:
                    return r.len("a collection size") <= 0;
                case RdbType.HASH_METADATA:
                    in.skip(8, "a hash minimum field expiry");
                    return r.len("a hash size") <= 0;
                case RdbType.LIST_QUICKLIST: case RdbType.LIST_QUICKLIST_2:
                    return r.len("a quicklist node count") <= 1; // one node might hold an empty pack
                case RdbType.HASH_ZIPMAP: // zmlen: the pair count, 254 and up meaning "count them"
                    return r.blobHeader(1) || (in.peek() == 0 || in.peek() >= 254);
                case RdbType.LIST_ZIPLIST: case RdbType.ZSET_ZIPLIST: case RdbType.HASH_ZIPLIST:
                    return r.blobHeader(10) || packCountZeroOrUnknown(in, 8); // zlbytes, zltail, zllen
                case RdbType.SET_INTSET:
                    if (r.blobHeader(8)) {
                        return true;
                    }
                    in.skip(4, "an intset encoding");
                    return in.u32le("an intset length") == 0;
                case RdbType.HASH_LISTPACK_EX:
                    in.skip(8, "a hash minimum field expiry");
                    return r.blobHeader(6) || packCountZeroOrUnknown(in, 4); // total bytes, count
                case RdbType.SET_LISTPACK: case RdbType.ZSET_LISTPACK: case RdbType.HASH_LISTPACK:
                case RdbType.HASH_LISTPACK_EX_PRE_GA:
                    return r.blobHeader(6) || packCountZeroOrUnknown(in, 4);
                default:
                    return true;
            }
        } catch (RdbFormatException e) {
            return true; // corrupt or truncated: decoding will say what is wrong
        }
    }

    /**
     * Reads an RDB string's length prefix; true when the string is not a plain one of at least
     * {@code need} bytes (compressed or integer-encoded), so its header cannot be read in place.
     */
    private boolean blobHeader(int need) {
        long n = lengthOrEncoding("a value blob");
        return n < need;
    }

    /** A ziplist/listpack u16 element count {@code at} bytes into the blob: 0, or 0xffff ("count them"). */
    private static boolean packCountZeroOrUnknown(RdbInput in, int at) {
        in.skip(at, "a pack header");
        int n = in.u8("a pack element count") | in.u8("a pack element count") << 8;
        return n == 0 || n == 0xffff;
    }

    public int version() {
        return version;
    }

    /** Bytes consumed so far. */
    public long offset() {
        return in.offset();
    }

    /** Reads the whole RDB, through the EOF opcode and checksum. */
    public void read(RdbHandler h) {
        readHeader(h);
        int db = 0;
        long expireAt = KeyHeader.NO_EXPIRE;
        long idle = -1;
        int freq = -1;
        java.util.List<KeyMetadata> keyMeta = java.util.List.of();
        while (true) {
            long opOffset = in.offset();
            int op = in.u8("an opcode");
            switch (op) {
                case OP_EOF:
                    readChecksum(opOffset);
                    h.end();
                    return;
                case OP_SELECTDB:
                    db = (int) len("a SELECTDB number");
                    h.selectDb(db);
                    break;
                case OP_RESIZEDB:
                    h.resizeDb(len("a RESIZEDB size"), len("a RESIZEDB size"));
                    break;
                case OP_AUX:
                    h.aux(string("an AUX field name"), string("an AUX field value"));
                    break;
                case OP_EXPIRETIME:
                    expireAt = in.u32le("an EXPIRETIME") * 1000L;
                    break;
                case OP_EXPIRETIME_MS:
                    expireAt = in.u64le("an EXPIRETIME_MS");
                    break;
                case OP_IDLE:
                    idle = len("an IDLE time");
                    break;
                case OP_FREQ:
                    freq = in.u8("a FREQ counter");
                    break;
                case OP_SLOT_INFO: // Valkey calls it foreign slot info: a sizing hint, safe to skip
                    len("a SLOT_INFO slot");
                    len("a SLOT_INFO size");
                    len("a SLOT_INFO size");
                    break;
                case OP_KEY_META_OR_SLOT_IMPORT:
                    if (valkey) {
                        skipSlotImport();
                    } else {
                        keyMeta = readKeyMetadata(opOffset);
                    }
                    break;
                case OP_FUNCTION2:
                    h.function(string("a FUNCTION2 library"));
                    break;
                case OP_FUNCTION_PRE_GA:
                    throw new RdbFormatException("this RDB holds functions in the Redis 7.0 release-candidate format (opcode 246), which no released server can load", opOffset);
                case OP_MODULE_AUX:
                    readModuleAux(h, opOffset);
                    break;
                default:
                    readKey(h, op, db, expireAt, idle, freq, keyMeta, opOffset);
                    expireAt = KeyHeader.NO_EXPIRE;
                    idle = -1;
                    freq = -1;
                    keyMeta = java.util.List.of();
            }
        }
    }

    /** An RDB's magic and version. */
    public record Header(int version, boolean valkey) {}

    /** Reads only the header of an RDB (to learn its version before reading it whole). */
    public static Header readHeader(InputStream input) {
        RdbReader r = new RdbReader(input);
        int v = r.parseHeader();
        return new Header(v, r.valkey);
    }

    private boolean valkey;

    private void readHeader(RdbHandler h) {
        version = parseHeader();
        h.header(version, valkey);
    }

    private int parseHeader() {
        byte[] magic = in.bytes(9, "the RDB header");
        String m = new String(magic, StandardCharsets.ISO_8859_1);
        valkey = m.startsWith("VALKEY");
        String digits;
        if (m.startsWith("REDIS")) {
            digits = m.substring(5);
        } else if (valkey) {
            digits = m.substring(6);
        } else {
            throw new RdbFormatException("not an RDB file: it does not start with REDIS or VALKEY", 0);
        }
        int v;
        try {
            v = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new RdbFormatException("not an RDB file: the version '" + digits + "' after the magic is not a number", 0);
        }
        boolean known = valkey ? v == VALKEY_VERSION : v >= 1 && v <= MAX_REDIS_VERSION;
        if (!known) {
            throw new RdbFormatException("RDB version " + v + (valkey ? " (Valkey)" : "")
                    + " is not supported: Ferry reads REDIS versions 1-" + MAX_REDIS_VERSION + " and VALKEY version " + VALKEY_VERSION, 5);
        }
        return v;
    }

    private void readChecksum(long eofOffset) {
        if (version < 5) {
            return; // no checksum before RDB 5
        }
        long computed = in.crc();
        long stored = in.u64le("the checksum after EOF");
        if (stored != 0 && stored != computed) {
            throw new RdbFormatException(String.format("CRC64 checksum mismatch: the file says %016x but its contents give %016x; the RDB is corrupt", stored, computed), eofOffset + 1);
        }
    }

    /** Valkey's SLOT_IMPORT: a slot migration job in progress (its name and slot ranges), of no use to a copy. */
    private void skipSlotImport() {
        skipString("a SLOT_IMPORT job name");
        long ranges = len("a SLOT_IMPORT range count");
        for (long i = 0; i < ranges; i++) {
            len("a SLOT_IMPORT range start");
            len("a SLOT_IMPORT range end");
        }
    }

    private java.util.List<KeyMetadata> readKeyMetadata(long opOffset) {
        try {
            return KeyMetadata.read(this);
        } catch (IllegalArgumentException e) {
            throw new RdbFormatException("corrupt KEY_META: " + e.getMessage(), opOffset, e);
        }
    }

    /**
     * The type code of a key's type byte in this input's numbering; an unknown byte stops the read
     * with its number and offset.
     */
    private int valueTypeByte(int b, long offset) {
        int type = RdbType.fromWire(b, valkey);
        if (type >= 0) {
            return type;
        }
        if (b == RdbType.MODULE_PRE_GA) {
            throw new RdbFormatException("module value in the Redis 4.0 release-candidate format (type 6) cannot be parsed without its module", offset);
        }
        throw new UnknownRdbTypeException(b, version, valkey, offset);
    }

    private void readModuleAux(RdbHandler h, long opOffset) {
        long moduleId = u64("a MODULE_AUX module id");
        long whenOpcode = len("a MODULE_AUX when-opcode");
        len("a MODULE_AUX when");
        if (whenOpcode != ModuleValue.OP_UINT) {
            throw new RdbFormatException("corrupt MODULE_AUX: bad when-opcode " + whenOpcode, opOffset);
        }
        ModuleValue.skipBody(this);
        h.moduleAux(ModuleValue.name(moduleId), moduleId);
    }

    private void readKey(RdbHandler h, int typeByte, int db, long expireAt, long idle, int freq, java.util.List<KeyMetadata> keyMeta, long offset) {
        int type = valueTypeByte(typeByte, offset);
        byte[] key = string("a key name");
        KeyHeader header = new KeyHeader(db, key, type, expireAt, idle, freq, offset, keyMeta);
        ValueSink sink = h.beginKey(header);
        boolean module = type == RdbType.MODULE_2;
        boolean capturing = capture.enabled() || module && sink != null;
        if (capturing) {
            in.startCapture(capture.enabled() ? capture.memoryLimit() : Integer.MAX_VALUE - 16, capture.spillDir(), (byte) type);
        }
        try {
            if (sink == null) {
                ValueDecoder.skip(this, type);
            } else {
                ValueDecoder.decode(this, type, sink);
            }
        } catch (IllegalArgumentException e) {
            throw new RdbFormatException("corrupt " + RdbType.name(type) + " value of key '" + printable(key) + "' in db " + db + ": " + e.getMessage(), offset, e);
        } catch (RdbTruncatedException e) {
            throw e;
        } catch (RdbFormatException e) {
            throw new RdbFormatException(e.getMessage().replaceFirst(" \\(at byte offset \\d+\\)$", "") + " in key '" + printable(key) + "'", e.offset(), e);
        }
        RawValue raw = capturing ? in.endCapture() : null;
        if (raw != null && valkey) {
            raw = raw.numbered(true);
        }
        if (module && sink != null && raw != null && raw.inMemory()) {
            long id = ModuleValue.idOf(raw.bytes());
            sink.module(ModuleValue.name(id), id, raw.bytes());
        }
        h.endKey(header, capture.enabled() ? raw : null);
    }

    /** Key names for error messages: printable ASCII kept, the rest escaped, long names cut. */
    public static String printable(byte[] key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length && sb.length() < 120; i++) {
            int c = key[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return key.length > 120 ? sb + "…" : sb.toString();
    }

    // ---- primitives used by the decoders ----

    RdbInput input() {
        return in;
    }

    /**
     * Reads a length prefix. Returns the length, or for the special string encodings
     * (int8/16/32, LZF) {@code -1 - encoding}.
     */
    private long lengthOrEncoding(String what) {
        return lengthOrEncoding(what, false);
    }

    /** With {@code unsigned64} a 64-bit length comes back as is (negative above 2^63-1). */
    private long lengthOrEncoding(String what, boolean unsigned64) {
        long off = in.offset();
        int b = in.u8(what);
        if (unsigned64 && b >>> 6 == 3) {
            throw new RdbFormatException("unexpected encoded string where " + what + " (a number) was expected", off);
        }
        switch (b >>> 6) {
            case 0: return b & 0x3f;
            case 1: return ((b & 0x3f) << 8) | in.u8(what);
            case 2:
                if (b == 0x80) {
                    return in.u32be(what);
                }
                if (b == 0x81) {
                    long n = in.u64be(what);
                    if (n < 0 && !unsigned64) { // only 2^64-1 occurs in practice: -1 stored as unsigned (stream entries_read)
                        return n == -1 ? Long.MAX_VALUE : failLength(n, what, off);
                    }
                    return n;
                }
                throw new RdbFormatException("invalid length prefix 0x" + Integer.toHexString(b) + " for " + what, off);
            default:
                return -1 - (b & 0x3f);
        }
    }

    private static long failLength(long n, String what, long off) {
        throw new RdbFormatException("length " + Long.toUnsignedString(n) + " of " + what + " is too large", off);
    }

    /** Reads a length; the special string encodings are an error here. 2^64-1 reads as -1. */
    long len(String what) {
        long off = in.offset();
        long n = lengthOrEncoding(what);
        if (n == Long.MAX_VALUE) {
            return -1;
        }
        if (n < 0) {
            throw new RdbFormatException("unexpected encoded string where " + what + " (a length) was expected", off);
        }
        return n;
    }

    /**
     * An unsigned 64-bit number in length encoding, such as a stream id part: values of 2^63 and
     * more come back negative (print them with Long.toUnsignedString).
     */
    long u64(String what) {
        return lengthOrEncoding(what, true);
    }

    /** A length that must fit in a Java array. */
    int intLen(String what) {
        long off = in.offset();
        long n = len(what);
        if (n < 0 || n > Integer.MAX_VALUE - 16) {
            throw new RdbFormatException("length " + Long.toUnsignedString(n) + " of " + what + " is too large", off);
        }
        return (int) n;
    }

    /** Reads an RDB string (plain, integer-encoded or LZF-compressed). */
    byte[] string(String what) {
        long off = in.offset();
        long n = lengthOrEncoding(what);
        if (n >= 0) {
            if (n > Integer.MAX_VALUE - 16) {
                failLength(n, what, off);
            }
            return in.bytes((int) n, what);
        }
        switch ((int) (-1 - n)) {
            case 0: return Ints.ascii((byte) in.u8(what));
            case 1: {
                int lo = in.u8(what);
                int hi = in.u8(what);
                return Ints.ascii((short) (lo | hi << 8));
            }
            case 2: return Ints.ascii((int) in.u32le(what));
            case 3: {
                int clen = intLen(what + " (compressed length)");
                int ulen = intLen(what + " (uncompressed length)");
                byte[] c = in.bytes(clen, what);
                try {
                    return Lzf.decompress(c, clen, ulen);
                } catch (IllegalArgumentException e) {
                    throw new RdbFormatException(e.getMessage() + " in " + what, off);
                }
            }
            default:
                throw new RdbFormatException("unknown string encoding " + (-1 - n) + " for " + what, off);
        }
    }

    /** Skips an RDB string without decompressing it. */
    void skipString(String what) {
        long off = in.offset();
        long n = lengthOrEncoding(what);
        if (n >= 0) {
            in.skip(n, what);
            return;
        }
        switch ((int) (-1 - n)) {
            case 0: in.skip(1, what); return;
            case 1: in.skip(2, what); return;
            case 2: in.skip(4, what); return;
            case 3: {
                long clen = len(what);
                len(what);
                in.skip(clen, what);
                return;
            }
            default:
                throw new RdbFormatException("unknown string encoding " + (-1 - n) + " for " + what, off);
        }
    }
}
