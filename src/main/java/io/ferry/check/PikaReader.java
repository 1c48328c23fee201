package io.ferry.check;

import static io.ferry.check.SidePipes.b;

import io.ferry.rdb.ValueType;
import io.ferry.resp.Reply;
import io.ferry.source.pika.binlog.TypeNames;
import io.ferry.source.pika.snapshot.PikaType;
import io.ferry.source.pika.snapshot.TypeConflictPolicy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads (name, type) pairs of a Pika source into {@link KeyState}s under the names they have on the target, with
 * commands that are complete on Pika:
 * <ul>
 *   <li>which types a name holds: {@code TYPE} for the string (TYPE answers the first of string, hash, list, zset,
 *       set, so "string" means a string exists), {@code HLEN}, {@code LLEN}, {@code ZCARD}, {@code SCARD},
 *       {@code XLEN} (3.5/4.0) above 0 for the others — never {@code EXISTS} (it counts types, from a cache, on 3.5)
 *       and never TYPE alone (4.0 reports stale types of dead keys, and {@code streams} for a stream);
 *   <li>the target name from those types with the sync's rule ({@link TypeNames}, {@code --pika-type-conflict});
 *   <li>TTL: {@code PTTL} is the TTL of the name's first non-stream type only (whole seconds × 1000 on 3.x), so it is
 *       compared for that type; the other types of a multi-type name have no TTL command on Pika: their TTL is not
 *       compared, and counted ({@link Recorder#TTL_NOT_READABLE}). Pika streams have no TTL (EXPIRE skips them);
 *   <li>values: GETRANGE, HGETALL, LRANGE, SMEMBERS, XRANGE + XINFO STREAM, and ZSCAN for zsets ({@code ZRANGE} and
 *       {@code ZCOUNT} miss ±inf members on Pika, 4.0 even appends another key's members); {@code ZCARD} is exact.
 *       Values above {@code --chunk} elements are left to the comparer's chunked path (HSCAN/SSCAN/ZSCAN pages,
 *       LRANGE/GETRANGE windows, all complete on Pika);
 *   <li>131 072-byte strings of 6-bit registers are Pika HyperLogLogs: compared as bytes like any string, and counted
 *       ({@link Recorder#PIKA_HLL}) since Redis' PF* commands cannot read them.
 * </ul>
 * One per worker, over the worker's source {@link SidePipes}.
 */
final class PikaReader {
    static final int PIKA_HLL_BYTES = 131_072;

    private final SidePipes src;
    private final PikaOrigin pika;
    private final Level level;
    private final int window;
    private final int chunk;
    private final Recorder recorder;

    PikaReader(SidePipes src, PikaOrigin pika, Level level, int window, int chunk, Recorder recorder) {
        this.src = src;
        this.pika = pika;
        this.level = level;
        this.window = window;
        this.chunk = chunk;
        this.recorder = recorder;
    }

    /** Target names and the source states to compare under them. */
    record Pairs(List<byte[]> targetNames, KeyState[] states) {}

    static ValueType valueType(PikaType t) {
        return switch (t) {
            case STRING -> ValueType.STRING;
            case HASH -> ValueType.HASH;
            case LIST -> ValueType.LIST;
            case ZSET -> ValueType.ZSET;
            case SET -> ValueType.SET;
            case STREAM -> ValueType.STREAM;
        };
    }

    /** What a name holds on the source: its types, and the PTTL reply (the TTL of its first non-stream type). */
    record Holding(Set<PikaType> types, long pttl) {
        PikaType primary() {
            return types.isEmpty() ? null : EnumSet.copyOf(types).iterator().next();
        }

        PikaType firstNonStream() {
            for (PikaType t : EnumSet.copyOf(types)) {
                if (t != PikaType.STREAM) {
                    return t;
                }
            }
            return null;
        }
    }

    /** Pairs listed by the scan: {@code names} of type {@code type}; pairs gone since, or left out by the policy, are dropped. */
    Pairs scanned(int db, PikaType type, List<byte[]> names) {
        Holding[] h = holdings(db, names);
        List<byte[]> targets = new ArrayList<>();
        List<KeyState> states = new ArrayList<>();
        List<PikaType> types = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!h[i].types.contains(type)) {
                continue; // deleted since the scan listed it
            }
            if (h[i].types.size() > 1) {
                recorder.note(Recorder.MULTI_TYPE_PAIRS);
            }
            Optional<byte[]> target = targetName(names.get(i), h[i], type);
            if (target.isEmpty()) {
                recorder.note(Recorder.LEFT_OUT_BY_POLICY);
                continue;
            }
            targets.add(target.get());
            states.add(present(target.get(), names.get(i), type, h[i], true));
            types.add(type);
        }
        read(db, states, types);
        return new Pairs(targets, states.toArray(new KeyState[0]));
    }

    /**
     * The source state behind each target name: the name's own first type, or under {@code suffix} the type a
     * {@code name:<type>} stands for; absent when no source pair maps to it. {@code count}: notes are counted.
     */
    KeyState[] resolve(int db, List<byte[]> targetNames, boolean count) {
        boolean suffix = pika.policy() == TypeConflictPolicy.SUFFIX;
        List<byte[]> probe = new ArrayList<>(targetNames);
        byte[][] base = new byte[targetNames.size()][];
        PikaType[] suffixType = new PikaType[targetNames.size()];
        for (int i = 0; suffix && i < targetNames.size(); i++) {
            byte[] n = targetNames.get(i);
            for (PikaType t : PikaType.values()) {
                byte[] s = b(":" + t.typeName());
                if (n.length > s.length && java.util.Arrays.equals(n, n.length - s.length, n.length, s, 0, s.length)) {
                    base[i] = java.util.Arrays.copyOf(n, n.length - s.length);
                    suffixType[i] = t;
                    probe.add(base[i]);
                }
            }
        }
        Holding[] h = holdings(db, probe);
        KeyState[] out = new KeyState[targetNames.size()];
        List<KeyState> present = new ArrayList<>();
        List<PikaType> types = new ArrayList<>();
        int extra = targetNames.size();
        for (int i = 0; i < targetNames.size(); i++) {
            byte[] n = targetNames.get(i);
            PikaType own = h[i].primary();
            Holding b = base[i] == null ? null : h[extra++];
            if (own != null && targetName(n, h[i], own).filter(x -> java.util.Arrays.equals(x, n)).isPresent()) {
                out[i] = present(n, n, own, h[i], count);
                types.add(own);
            } else if (b != null && b.types.contains(suffixType[i])
                    && targetName(base[i], b, suffixType[i]).filter(x -> java.util.Arrays.equals(x, n)).isPresent()) {
                out[i] = present(n, base[i], suffixType[i], b, count);
                types.add(suffixType[i]);
            } else {
                out[i] = KeyState.absent(n);
                continue;
            }
            present.add(out[i]);
        }
        read(db, present, types);
        return out;
    }

    /** Where the sync writes the {@code type} value of {@code name}, given everything the name holds. */
    private Optional<byte[]> targetName(byte[] name, Holding h, PikaType type) {
        TypeNames names = new TypeNames(pika.policy());
        if (h.types.size() > 1) {
            names.register(name, h.types);
        }
        return names.targetName(name, type);
    }

    private KeyState present(byte[] target, byte[] name, PikaType type, Holding h, boolean count) {
        KeyState s = new KeyState(target);
        s.sourceKey = name;
        s.present = true;
        s.type = valueType(type);
        s.typeName = type.typeName();
        if (type == PikaType.STREAM) {
            s.pttl = KeyState.NO_EXPIRY; // Pika streams carry no TTL (EXPIRE answers 0 on them)
        } else if (type == h.firstNonStream()) {
            s.pttl = h.pttl;
        } else {
            s.pttl = KeyState.NO_EXPIRY;
            s.ttlUnknown = true;
            if (count) {
                recorder.note(Recorder.TTL_NOT_READABLE);
            }
        }
        s.size = -1;
        return s;
    }

    private Holding[] holdings(int db, List<byte[]> names) {
        boolean streams = pika.generation().streams();
        src.db(db);
        int per = streams ? 7 : 6;
        int[] hd = new int[names.size() * per];
        for (int i = 0; i < names.size(); i++) {
            byte[] k = names.get(i);
            int o = i * per;
            hd[o] = src.add(k, b("TYPE"), k);
            hd[o + 1] = src.add(k, b("PTTL"), k);
            hd[o + 2] = src.add(k, b("HLEN"), k);
            hd[o + 3] = src.add(k, b("LLEN"), k);
            hd[o + 4] = src.add(k, b("ZCARD"), k);
            hd[o + 5] = src.add(k, b("SCARD"), k);
            if (streams) {
                hd[o + 6] = src.add(k, b("XLEN"), k);
            }
        }
        SidePipes.run(src);
        Holding[] out = new Holding[names.size()];
        for (int i = 0; i < names.size(); i++) {
            int o = i * per;
            Reply type = src.reply(hd[o]);
            Reply pttl = src.reply(hd[o + 1]);
            if (type.isError() || pttl.isError()) {
                throw ServerReader.failure(src, type.isError() ? "TYPE" : "PTTL", type.isError() ? type : pttl);
            }
            long ttl = pttl.asLong();
            EnumSet<PikaType> types = EnumSet.noneOf(PikaType.class);
            // 4.0 answers a stale "string" for a dead string, and PTTL -2 (deleted) or 0 (never was) for it
            if (type.asString().equals("string") && (pika.generation() != PikaOrigin.Generation.V4 || ttl != -2 && ttl != 0)) {
                types.add(PikaType.STRING);
            }
            PikaType[] sized = {PikaType.HASH, PikaType.LIST, PikaType.ZSET, PikaType.SET, PikaType.STREAM};
            for (int j = 0; j < per - 2; j++) {
                Reply n = src.reply(hd[o + 2 + j]);
                if (!ServerReader.isWrongType(src, n, "a size command") && n.asLong() > 0) {
                    types.add(sized[j]);
                }
            }
            out[i] = new Holding(types, ttl);
        }
        return out;
    }

    /** Sizes, and at full level string heads and small values read whole. */
    private void read(int db, List<KeyState> states, List<PikaType> types) {
        if (level == Level.KEYS || states.isEmpty()) {
            return;
        }
        src.db(db);
        for (KeyState s : states) {
            byte[] k = s.sourceKey;
            s.h0 = src.add(k, b(KeyState.sizeCommand(s.type)), k);
            s.h1 = level == Level.FULL && s.type == ValueType.STRING ? src.add(k, b("GETRANGE"), k, b("0"), b(window - 1))
                    : level == Level.FULL && s.type == ValueType.STREAM ? src.add(k, b("XINFO"), b("STREAM"), k) : -1;
        }
        SidePipes.run(src);
        List<KeyState> whole = new ArrayList<>();
        for (KeyState s : states) {
            Reply size = src.reply(s.h0);
            if (ServerReader.isWrongType(src, size, "a size command")) {
                s.changed = true;
                continue;
            }
            s.size = size.asLong();
            if (s.h1 >= 0 && s.type == ValueType.STRING) {
                s.head = src.reply(s.h1).asBytes();
                if (s.size == PIKA_HLL_BYTES && isPikaHll(s.head)) {
                    recorder.note(Recorder.PIKA_HLL);
                }
            } else if (s.h1 >= 0) {
                s.stream = new StreamInfo(lastId(src.reply(s.h1)), List.of()); // Pika streams have no consumer groups
            }
            if (level == Level.FULL && s.type != ValueType.STRING && s.size <= chunk) {
                whole.add(s);
            }
        }
        readWhole(whole);
    }

    private void readWhole(List<KeyState> states) {
        if (states.isEmpty()) {
            return;
        }
        Map<KeyState, String> zcursor = new HashMap<>();
        for (KeyState s : states) {
            byte[] k = s.sourceKey;
            s.h0 = switch (s.type) {
                case HASH -> src.add(k, b("HGETALL"), k);
                case LIST -> src.add(k, b("LRANGE"), k, b("0"), b("-1"));
                case SET -> src.add(k, b("SMEMBERS"), k);
                case STREAM -> src.add(k, b("XRANGE"), k, b("-"), b("+"));
                case ZSET -> {
                    zcursor.put(s, "0");
                    s.value = new HashMap<Bytes, Double>();
                    yield src.add(k, b("ZSCAN"), k, b("0"), b("COUNT"), b(Math.max(chunk, 10)));
                }
                default -> throw new IllegalArgumentException("no whole read for " + s.type);
            };
        }
        SidePipes.run(src);
        for (KeyState s : states) {
            if (s.type == ValueType.ZSET) {
                continue;
            }
            ServerReader.readValue(src, s, s.type);
        }
        // ZSCAN pages until every cursor is back at 0 (small zsets come in one page)
        while (!zcursor.isEmpty()) {
            List<KeyState> more = new ArrayList<>();
            for (KeyState s : zcursor.keySet()) {
                Reply r = src.reply(s.h0);
                if (ServerReader.isWrongType(src, r, "ZSCAN")) {
                    s.changed = true;
                    continue;
                }
                List<Reply> page = r.asList();
                @SuppressWarnings("unchecked")
                Map<Bytes, Double> m = (Map<Bytes, Double>) s.value;
                List<Reply> items = page.get(1).asList();
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    m.put(new Bytes(items.get(i).asBytes()), Scores.parse(items.get(i + 1).asString()));
                }
                String c = page.get(0).asString();
                if (!c.equals("0")) {
                    zcursor.put(s, c);
                    more.add(s);
                }
            }
            zcursor.keySet().retainAll(new HashSet<>(more));
            if (more.isEmpty()) {
                break;
            }
            for (KeyState s : more) {
                s.h0 = src.add(s.sourceKey, b("ZSCAN"), s.sourceKey, b(zcursor.get(s)), b("COUNT"), b(Math.max(chunk, 10)));
            }
            SidePipes.run(src);
        }
    }

    private static String lastId(Reply xinfo) {
        if (xinfo.isError()) {
            return null;
        }
        List<Reply> f = xinfo.asList();
        for (int i = 0; i + 1 < f.size(); i += 2) {
            if (f.get(i).asString().equals("last-generated-id")) {
                return f.get(i + 1).asString();
            }
        }
        return null;
    }

    /** Pika's HyperLogLog: 131 072 one-byte registers of 6 bits each. */
    static boolean isPikaHll(byte[] v) {
        if (v == null || v.length != PIKA_HLL_BYTES) {
            return false;
        }
        for (byte x : v) {
            if ((x & 0xff) > 63) {
                return false;
            }
        }
        return true;
    }
}
