package io.ferry.rdb;

/**
 * Decodes one value of a given RDB type into a {@link ValueSink}; with a null sink the value is
 * skipped (strings are not even decompressed). One method per encoding family.
 */
final class ValueDecoder {
    private ValueDecoder() {}

    /**
     * Walks past one value reading only its lengths: what a restore needs to capture a value it
     * sends as it is. Kept apart from {@link #decode} so the hot capture loop stays small (the JIT
     * compiles it quickly and the element decoders never become hot on that path).
     */
    static void skip(RdbReader r, int type) {
        switch (type) {
            case RdbType.STRING:
            case RdbType.HASH_ZIPMAP: case RdbType.LIST_ZIPLIST: case RdbType.SET_INTSET: case RdbType.ZSET_ZIPLIST:
            case RdbType.HASH_ZIPLIST: case RdbType.HASH_LISTPACK: case RdbType.ZSET_LISTPACK: case RdbType.SET_LISTPACK:
            case RdbType.HASH_LISTPACK_EX_PRE_GA:
                r.skipString("a value");
                return;
            case RdbType.LIST: case RdbType.SET:
                for (long i = 0, n = r.len("a collection size"); i < n; i++) {
                    r.skipString("a list/set element");
                }
                return;
            case RdbType.HASH:
                for (long i = 0, n = r.len("a hash size"); i < n; i++) {
                    r.skipString("a hash field");
                    r.skipString("a hash value");
                }
                return;
            case RdbType.ZSET_2:
                for (long i = 0, n = r.len("a sorted set size"); i < n; i++) {
                    r.skipString("a sorted set member");
                    r.input().skip(8, "a score");
                }
                return;
            case RdbType.LIST_QUICKLIST: case RdbType.LIST_QUICKLIST_2:
                for (long i = 0, n = r.len("a quicklist node count"); i < n; i++) {
                    if (type == RdbType.LIST_QUICKLIST_2) {
                        r.len("a quicklist container");
                    }
                    r.skipString("a quicklist node");
                }
                return;
            case RdbType.HASH_LISTPACK_EX:
                r.input().skip(8, "a hash minimum field expiry");
                r.skipString("a hash listpack");
                return;
            default: // old text scores, field-TTL hashes, streams, modules: rare enough for the full walk
                decode(r, type, null);
        }
    }

    static void decode(RdbReader r, int type, ValueSink sink) {
        switch (type) {
            case RdbType.STRING:
                if (sink == null) {
                    r.skipString("a string value");
                } else {
                    sink.string(r.string("a string value"));
                }
                return;
            case RdbType.LIST: case RdbType.SET: {
                long n = r.len("a collection size");
                hint(sink, n);
                for (long i = 0; i < n; i++) {
                    byte[] e = element(r, sink, "a list/set element");
                    if (sink != null) {
                        if (type == RdbType.LIST) {
                            sink.listElement(e);
                        } else {
                            sink.setMember(e);
                        }
                    }
                }
                return;
            }
            case RdbType.ZSET: case RdbType.ZSET_2: {
                long n = r.len("a sorted set size");
                hint(sink, n);
                for (long i = 0; i < n; i++) {
                    byte[] m = element(r, sink, "a sorted set member");
                    double score = type == RdbType.ZSET_2 ? Double.longBitsToDouble(r.input().u64le("a score")) : oldScore(r);
                    if (sink != null) {
                        sink.zsetEntry(m, score);
                    }
                }
                return;
            }
            case RdbType.HASH: {
                long n = r.len("a hash size");
                hint(sink, n);
                for (long i = 0; i < n; i++) {
                    byte[] f = element(r, sink, "a hash field");
                    byte[] v = element(r, sink, "a hash value");
                    if (sink != null) {
                        sink.hashField(f, v, -1);
                    }
                }
                return;
            }
            case RdbType.HASH_METADATA: case RdbType.HASH_METADATA_PRE_GA:
                hashWithTtls(r, type, sink);
                return;
            case RdbType.VALKEY_HASH_2:
                valkeyHash2(r, sink);
                return;
            case RdbType.ARRAY:
                ArrayDecoder.decode(r, sink);
                return;
            case RdbType.LIST_QUICKLIST: case RdbType.LIST_QUICKLIST_2:
                quicklist(r, type, sink);
                return;
            case RdbType.STREAM_LISTPACKS: case RdbType.STREAM_LISTPACKS_2: case RdbType.STREAM_LISTPACKS_3:
            case RdbType.STREAM_LISTPACKS_4: case RdbType.STREAM_LISTPACKS_5: {
                StreamValue s = StreamDecoder.decode(r, type, sink);
                if (sink != null) {
                    sink.stream(s);
                }
                return;
            }
            case RdbType.MODULE_2:
                ModuleValue.decode(r);
                return;
            default:
                compact(r, type, sink);
        }
    }

    private static void hint(ValueSink sink, long n) {
        if (sink != null) {
            sink.sizeHint(n);
        }
    }

    private static byte[] element(RdbReader r, ValueSink sink, String what) {
        if (sink == null) {
            r.skipString(what);
            return null;
        }
        return r.string(what);
    }

    /** RDB < 8 scores: a length byte then the score as text (253 NaN, 254 +inf, 255 -inf). */
    private static double oldScore(RdbReader r) {
        int n = r.input().u8("a score");
        switch (n) {
            case 253: return Double.NaN;
            case 254: return Double.POSITIVE_INFINITY;
            case 255: return Double.NEGATIVE_INFINITY;
            default: return Ints.parseScore(r.input().bytes(n, "a score"));
        }
    }

    private static void hashWithTtls(RdbReader r, int type, ValueSink sink) {
        long minExpire = type == RdbType.HASH_METADATA ? r.input().u64le("a hash minimum field expiry") : 0;
        long n = r.len("a hash size");
        hint(sink, n);
        for (long i = 0; i < n; i++) {
            long ttl = r.len("a hash field TTL");
            byte[] f = element(r, sink, "a hash field");
            byte[] v = element(r, sink, "a hash value");
            if (sink != null) {
                long at = ttl == 0 ? -1 : type == RdbType.HASH_METADATA ? ttl + minExpire - 1 : ttl;
                sink.hashField(f, v, at);
            }
        }
    }

    /** Valkey 9's HASH_2: per field its name, value and an absolute 8-byte ms expiry (-1: none). */
    private static void valkeyHash2(RdbReader r, ValueSink sink) {
        long n = r.len("a hash size");
        hint(sink, n);
        for (long i = 0; i < n; i++) {
            byte[] f = element(r, sink, "a hash field");
            byte[] v = element(r, sink, "a hash value");
            long at = r.input().u64le("a hash field expiry");
            if (sink != null) {
                sink.hashField(f, v, at < 0 ? -1 : at);
            }
        }
    }

    private static void quicklist(RdbReader r, int type, ValueSink sink) {
        long nodes = r.len("a quicklist node count");
        for (long i = 0; i < nodes; i++) {
            long container = type == RdbType.LIST_QUICKLIST_2 ? r.len("a quicklist container") : 2;
            if (sink == null) {
                r.skipString("a quicklist node");
                continue;
            }
            byte[] blob = r.string("a quicklist node");
            if (container == 1) { // plain node: one element, stored as is
                sink.listElement(blob);
                continue;
            }
            if (container != 2) {
                throw new IllegalArgumentException("unknown quicklist container " + container);
            }
            PackCursor c = type == RdbType.LIST_QUICKLIST_2 ? new Listpack(blob) : new Ziplist(blob);
            while (c.hasNext()) {
                sink.listElement(c.next());
            }
        }
    }

    /** Encodings that hold the whole value in one blob. */
    private static void compact(RdbReader r, int type, ValueSink sink) {
        long minExpire = type == RdbType.HASH_LISTPACK_EX ? r.input().u64le("a hash minimum field expiry") : 0;
        if (sink == null) {
            r.skipString("a " + RdbType.name(type) + " blob");
            return;
        }
        byte[] blob = r.string("a " + RdbType.name(type) + " blob");
        switch (type) {
            case RdbType.LIST_ZIPLIST: {
                PackCursor c = new Ziplist(blob);
                while (c.hasNext()) {
                    sink.listElement(c.next());
                }
                return;
            }
            case RdbType.SET_INTSET: {
                Intset c = new Intset(blob);
                sink.sizeHint(c.count());
                while (c.hasNext()) {
                    sink.setMember(c.next());
                }
                return;
            }
            case RdbType.SET_LISTPACK: {
                PackCursor c = new Listpack(blob);
                while (c.hasNext()) {
                    sink.setMember(c.next());
                }
                return;
            }
            case RdbType.ZSET_ZIPLIST: case RdbType.ZSET_LISTPACK: {
                PackCursor c = type == RdbType.ZSET_ZIPLIST ? new Ziplist(blob) : new Listpack(blob);
                while (c.hasNext()) {
                    byte[] m = c.next();
                    sink.zsetEntry(m, Ints.parseScore(pairValue(c)));
                }
                return;
            }
            case RdbType.HASH_ZIPMAP: case RdbType.HASH_ZIPLIST: case RdbType.HASH_LISTPACK: {
                PackCursor c = type == RdbType.HASH_ZIPMAP ? new Zipmap(blob) : type == RdbType.HASH_ZIPLIST ? new Ziplist(blob) : new Listpack(blob);
                while (c.hasNext()) {
                    byte[] f = c.next();
                    sink.hashField(f, pairValue(c), -1);
                }
                return;
            }
            case RdbType.HASH_LISTPACK_EX: case RdbType.HASH_LISTPACK_EX_PRE_GA: {
                PackCursor c = new Listpack(blob);
                while (c.hasNext()) {
                    byte[] f = c.next();
                    byte[] v = pairValue(c);
                    if (!c.hasNext()) {
                        throw new IllegalArgumentException("hash listpack-ex entry without its TTL");
                    }
                    long ttl = c.nextLong();
                    sink.hashField(f, v, ttl == 0 ? -1 : ttl);
                }
                return;
            }
            default:
                throw new IllegalStateException("not a compact type: " + type + " (minExpire " + minExpire + ")");
        }
    }

    private static byte[] pairValue(PackCursor c) {
        if (!c.hasNext()) {
            throw new IllegalArgumentException("odd number of elements in a field/value encoding");
        }
        return c.next();
    }
}
