package io.ferry.source.pika.binlog;

import io.ferry.source.pika.snapshot.PikaType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Turns one logged Pika binlog item into what to do on a Redis target (PIKA.md §7, corrected by the
 * fixture READMEs' discrepancies). Not thread-safe: one translator per replication stream (per DB).
 *
 * <p>Order per item: the same-name policy renames, drops or expands the item (≤ 3.5), then each resulting
 * argv goes through the command's rule; command names are matched case-insensitively and sent in upper case.
 * Several actions of one item must be applied together (the session wraps them in MULTI/EXEC).
 */
public final class PikaTranslator {
    /** 131 072 one-byte registers: a Pika HLL stored as a plain string. */
    static final int PIKA_HLL_BYTES = 131_072;

    private final PikaGeneration gen;
    private final LongSupplier nowMs;
    private final PikaTranslationStats stats = new PikaTranslationStats();
    private final TtlRules ttl;
    private final ConditionalRules conditional;
    private final SameNameRules sameNames;

    /**
     * @param names the snapshot's multi-type names (ignored for 4.0, which has one type per name)
     * @param nowMs the current time in ms, for "already expired" decisions
     */
    public PikaTranslator(PikaGeneration gen, TargetCaps target, TypeNames names, LongSupplier nowMs) {
        this.gen = gen;
        this.nowMs = nowMs;
        this.ttl = new TtlRules(gen, target, stats);
        this.conditional = new ConditionalRules(target, stats);
        this.sameNames = new SameNameRules(gen.multiTypeNames() ? names : TypeNames.none(), stats);
    }

    public PikaTranslationStats stats() {
        return stats;
    }

    /**
     * One logged binlog item (argv as logged, its header exec_time in unix seconds) → what to do on the
     * target, in order. Never null; empty = drop.
     *
     * @throws MalformedBinlogItemException when the item lacks arguments its command needs
     */
    public List<Action> translate(byte[][] argv, long execTimeSeconds) {
        if (argv.length == 0) {
            throw new MalformedBinlogItemException("empty binlog item", argv);
        }
        String name = Argv.upper(argv[0]);
        if (name.equals("PADDING")) {
            stats.dropped.increment();
            return List.of();
        }
        List<Action> out = new ArrayList<>();
        for (byte[][] a : sameNames.map(name, argv)) {
            out.addAll(rule(name, a, execTimeSeconds));
        }
        (out.isEmpty() ? stats.dropped : stats.translated).increment();
        return out;
    }

    private List<Action> rule(String name, byte[][] a, long execTimeSeconds) {
        switch (name) {
            case "FLUSHDB":
            case "FLUSHALL": // Pika logs FLUSHALL as one flushdb per DB; a bare FLUSHALL would mean the same
                return List.of(new Action.Command(Argv.of("FLUSHDB")));
            case "PKSETEXAT":
                return ttl.pksetexat(a, nowMs.getAsLong());
            case "EXPIREAT":
                return ttl.expireat(a, nowMs.getAsLong());
            case "PEXPIREAT":
                return ttl.pexpireat(a, nowMs.getAsLong());
            case "SET":
                if (ConditionalRules.isSetVx(a)) {
                    return conditional.setVx(a, execTimeSeconds, nowMs.getAsLong());
                }
                if (a.length == 3 && a[2].length == PIKA_HLL_BYTES && looksLikePikaHll(a[2])) {
                    stats.hllStringsCopied.increment();
                }
                return ttl.set(a, execTimeSeconds);
            case "DELVX":
                return conditional.delVx(a);
            case "PKPATTERNMATCHDEL":
                return conditional.patternDel(a);
            case "SPOP":
                if (gen == PikaGeneration.V3_LEGACY) {
                    // The popped members are not in the log; 3.5+ logs srem of them instead.
                    Argv.requireArgs(a, 2);
                    stats.refetches.increment();
                    return List.of(new Action.Refetch(a[1], PikaType.SET.typeName()));
                }
                return verbatim(name, a);
            default:
                return verbatim(name, a);
        }
    }

    private static List<Action> verbatim(String name, byte[][] a) {
        return List.of(new Action.Command(Argv.upperName(a, name)));
    }

    /** Pika's HLL registers hold 6-bit values (PFMERGE is logged as SET of them, 3.5.5 #14, 4.0.1 #13). */
    static boolean looksLikePikaHll(byte[] v) {
        for (byte b : v) {
            if ((b & 0xff) > 63) {
                return false;
            }
        }
        return true;
    }
}
