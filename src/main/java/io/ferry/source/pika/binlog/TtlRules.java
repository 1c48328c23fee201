package io.ferry.source.pika.binlog;

import static io.ferry.source.pika.binlog.Argv.of;

import java.util.List;

/**
 * Strings and expiry: {@code pksetexat}, {@code expireat}/{@code pexpireat}, and relative TTLs in verbatim
 * {@code SET … NX|XX EX|PX}. Every absolute time the master logged is honoured as it is; relative ones are
 * anchored at the item's exec_time so replication lag does not stretch them.
 */
final class TtlRules {
    /** Above this a Pika timestamp is in milliseconds (4.0.1 logs PSETEX as {@code pksetexat k <ms> v}). */
    static final long MS_THRESHOLD = 100_000_000_000L;

    private final PikaGeneration gen;
    private final TargetCaps target;
    private final PikaTranslationStats stats;

    TtlRules(PikaGeneration gen, TargetCaps target, PikaTranslationStats stats) {
        this.gen = gen;
        this.target = target;
        this.stats = stats;
    }

    /** {@code pksetexat k ts v}: SET with an absolute expiry; 0 = "keep whatever TTL the key has" (3.5 / 4.0). */
    List<Action> pksetexat(byte[][] a, long nowMs) {
        Argv.requireArgs(a, 4);
        byte[] key = a[1];
        byte[] value = a[3];
        long ts = Argv.parseLong(a, 2, "timestamp");
        if (ts == 0 && gen != PikaGeneration.V3_LEGACY) {
            // 3.5.5 logs INCR/APPEND on a key with a TTL as ts 0 while the master keeps the TTL.
            if (target.keepTtl()) {
                return List.of(cmd("SET", key, value, "KEEPTTL"));
            }
            stats.ttlLosses.increment();
            return List.of(cmd("SET", key, value));
        }
        boolean ms = ts > MS_THRESHOLD;
        long atMs = ms ? ts : ts * 1000;
        if (atMs <= nowMs) {
            // Covers 3.x timestamps the master already wrapped to ≤ 0: it deleted the key.
            stats.expiredDeletes.increment();
            return List.of(cmd("DEL", key));
        }
        String at = Long.toString(ts);
        if (target.exat()) {
            return List.of(cmd("SET", key, value, ms ? "PXAT" : "EXAT", at));
        }
        return List.of(cmd("SET", key, value), cmd(ms ? "PEXPIREAT" : "EXPIREAT", key, at));
    }

    /** {@code expireat k ts}; on 3.x the master keeps only the low 32 bits, signed, and a result ≤ 0 deletes. */
    List<Action> expireat(byte[][] a, long nowMs) {
        Argv.requireArgs(a, 3);
        long ts = Argv.parseLong(a, 2, "timestamp");
        if (!gen.wraps32BitExpiry()) {
            return List.of(new Action.Command(Argv.upperName(a, "EXPIREAT")));
        }
        return wrapped32(a[1], (int) ts, nowMs);
    }

    /**
     * {@code pexpireat k ms}. 4.0.1: the client's PEXPIREAT deletes the key on the master although it answers 1
     * (fixture 4.0.1 #15), while the {@code pexpireat} Pika writes for a PEXPIRE works. The only mark of the
     * rewrite is its lower-case name, so exactly "pexpireat" passes and every other spelling becomes DEL.
     */
    List<Action> pexpireat(byte[][] a, long nowMs) {
        Argv.requireArgs(a, 3);
        long ms = Argv.parseLong(a, 2, "timestamp");
        if (gen.wraps32BitExpiry()) {
            // 3.x stores seconds (it logs PEXPIREAT itself as expireat ms/1000).
            return wrapped32(a[1], (int) Math.floorDiv(ms, 1000L), nowMs);
        }
        if (ms <= nowMs) {
            stats.expiredDeletes.increment();
            return List.of(cmd("DEL", a[1]));
        }
        if (!Argv.s(a[0]).equals("pexpireat")) {
            stats.pexpireatBugDeletes.increment();
            return List.of(cmd("DEL", a[1]));
        }
        return List.of(new Action.Command(Argv.upperName(a, "PEXPIREAT")));
    }

    private List<Action> wrapped32(byte[] key, int seconds, long nowMs) {
        if (seconds <= 0 || seconds * 1000L <= nowMs) {
            stats.expiredDeletes.increment();
            return List.of(cmd("DEL", key));
        }
        return List.of(cmd("EXPIREAT", key, Integer.toString(seconds)));
    }

    /** A verbatim SET (no VX): a relative EX/PX becomes EXAT/PXAT from exec_time when the target has them. */
    List<Action> set(byte[][] a, long execTimeSeconds) {
        Argv.requireArgs(a, 3);
        byte[][] out = Argv.upperName(a, "SET");
        if (target.exat()) {
            for (int i = 3; i < out.length - 1; i++) {
                if (Argv.is(out[i], "EX")) {
                    long s = Argv.parseLong(out, i + 1, "EX seconds");
                    out[i] = Argv.b("EXAT");
                    out[i + 1] = Argv.b(Long.toString(execTimeSeconds + s));
                    break;
                }
                if (Argv.is(out[i], "PX")) {
                    long ms = Argv.parseLong(out, i + 1, "PX milliseconds");
                    out[i] = Argv.b("PXAT");
                    out[i + 1] = Argv.b(Long.toString(execTimeSeconds * 1000 + ms));
                    break;
                }
            }
        }
        return List.of(new Action.Command(out));
    }

    static Action.Command cmd(Object... parts) {
        return new Action.Command(of(parts));
    }
}
