package io.ferry.gen;

import io.ferry.convert.Args;
import io.ferry.convert.CommandSink;
import io.ferry.rdb.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes the commands for key number {@code i} of a spec. Each key draws from its own random
 * stream seeded by (seed, i), so the dataset is the same whatever the order or parallelism.
 */
public final class KeyMaker {
    private static final int BATCH = 500;
    private final GenSpec spec;
    private final ValueType[] pick; // weight table
    private final long nowMs;

    public KeyMaker(GenSpec spec, long nowMs) {
        this.spec = spec;
        this.nowMs = nowMs;
        List<ValueType> table = new ArrayList<>();
        for (Map.Entry<ValueType, Integer> e : spec.typeWeights().entrySet()) {
            for (int k = 0; k < e.getValue(); k++) {
                table.add(e.getKey());
            }
        }
        this.pick = table.toArray(new ValueType[0]);
    }

    /** The db of key {@code i}. */
    public int db(long i) {
        return spec.dbs().get((int) Math.floorMod(i, (long) spec.dbs().size()));
    }

    public byte[] key(long i) {
        return (spec.prefix() + type(new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + i)).label() + ":" + i).getBytes(StandardCharsets.UTF_8);
    }

    private ValueType type(SplittableRandom r) {
        return pick[r.nextInt(pick.length)];
    }

    /** Emits the commands that create key {@code i} (after deleting any old value). */
    public void make(long i, CommandSink out) {
        SplittableRandom r = new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + i);
        ValueType t = type(r);
        byte[] key = (spec.prefix() + t.label() + ":" + i).getBytes(StandardCharsets.UTF_8);
        boolean big = i < spec.bigKeys() && t != ValueType.STRING;
        int n = big ? spec.bigKeyElements() : Math.max(1, spec.elements() / 2 + r.nextInt(spec.elements() + 1));
        out.command(Args.b("DEL"), key);
        switch (t) {
            case STRING: out.command(Args.b("SET"), key, value(r)); break;
            case LIST: batched(out, "RPUSH", key, n, 1, k -> new byte[][] {value(r)}); break;
            case SET: batched(out, "SADD", key, n, 1, k -> new byte[][] {member(r, k)}); break;
            case HASH: batched(out, "HSET", key, n, 2, k -> new byte[][] {member(r, k), value(r)}); break;
            case ZSET: batched(out, "ZADD", key, n, 2, k -> new byte[][] {Args.b(Double.toString(Math.round(r.nextDouble() * 1e6) / 100.0)), member(r, k)}); break;
            case STREAM:
                for (int k = 0; k < n; k++) {
                    out.command(Args.b("XADD"), key, Args.b((k + 1) + "-1"), Args.b("n"), Args.b(k), Args.b("v"), value(r));
                }
                if (r.nextInt(3) == 0) {
                    out.command(Args.b("XGROUP"), Args.b("CREATE"), key, Args.b("g1"), Args.b("0"));
                }
                break;
            default: throw new IllegalStateException("no generator for " + t);
        }
        if (r.nextDouble() < spec.expireRatio()) {
            long at = nowMs + 3_600_000L + (spec.ttlSpreadSeconds() > 0 ? r.nextLong(spec.ttlSpreadSeconds()) * 1000 : 0);
            out.command(Args.b("PEXPIREAT"), key, Args.b(at));
        }
    }

    private interface Element {
        byte[][] make(int k);
    }

    private static void batched(CommandSink out, String verb, byte[] key, int n, int width, Element e) {
        for (int done = 0; done < n; ) {
            int m = Math.min(BATCH, n - done);
            byte[][] argv = new byte[2 + m * width][];
            argv[0] = Args.b(verb);
            argv[1] = key;
            for (int k = 0; k < m; k++) {
                byte[][] parts = e.make(done + k);
                System.arraycopy(parts, 0, argv, 2 + k * width, width);
            }
            out.command(argv);
            done += m;
        }
    }

    private static byte[] member(SplittableRandom r, int k) {
        return Args.b("m" + k + ":" + Integer.toHexString(r.nextInt(1 << 16)));
    }

    private byte[] value(SplittableRandom r) {
        int size = Math.max(1, spec.valueSize() / 2 + r.nextInt(spec.valueSize() + 1));
        byte[] v = new byte[size];
        for (int j = 0; j < size; j++) {
            v[j] = (byte) ('a' + r.nextInt(26));
        }
        return v;
    }
}
