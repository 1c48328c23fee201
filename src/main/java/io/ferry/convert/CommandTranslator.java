package io.ferry.convert;

import io.ferry.route.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the live-stream commands of a newer source that the target (by its version, probed at
 * start) does not know: HSETEX → HSET, MSETEX → SETs, SET … IFEQ → SET, XADD … IDMP → XADD, … (the
 * rules live in {@link StringTranslations}, {@link HashTranslations}, {@link StreamTranslations}).
 * The applier runs it before routing. Every rewrite and drop is counted in {@link #stats()}; what
 * the target cannot hold (field TTLs below 7.4, IDMP and NACK state) is counted, never silent.
 *
 * <p>The rules rely on what a master replicates: only writes that happened (a SET whose IFEQ
 * failed is not replicated, so dropping the condition is exact), with relative times already
 * made absolute (PXAT).
 */
public final class CommandTranslator {
    private final TargetFeatures target;
    private final TranslationStats stats;
    private final StringTranslations strings;
    private final HashTranslations hashes;
    private final StreamTranslations streams;

    public CommandTranslator(TargetFeatures target, TranslationStats stats) {
        this(target, stats, System::currentTimeMillis);
    }

    /** {@code clock}: the time relative TTLs are computed from (where the target takes no absolute one). */
    public CommandTranslator(TargetFeatures target, TranslationStats stats, java.util.function.LongSupplier clock) {
        this.target = target;
        this.stats = stats;
        this.strings = new StringTranslations(target, stats, clock);
        this.hashes = new HashTranslations(target, stats);
        this.streams = new StreamTranslations(target, stats);
    }

    public TranslationStats stats() {
        return stats;
    }

    /** What to send instead of {@code argv}, or null to send it as it is. */
    public Translation translate(byte[][] argv) {
        if (argv.length < 2) {
            return null;
        }
        String name = CommandTable.name(argv);
        switch (name) {
            case "SET":
                return argv.length > 3 ? strings.set(argv) : null;
            case "MSETEX":
                return target.redis84Strings() ? null : strings.msetex(argv);
            case "DELEX":
                return target.redis84Strings() ? null : strings.delex(argv);
            case "PEXPIREAT", "EXPIREAT", "PEXPIRE":
                return target.pika() ? strings.pikaExpiry(name, argv) : null;
            case "UNLINK":
                return target.unlink() ? null : strings.unlink(argv);
            case "HSET":
                return argv.length > 4 && !target.multiFieldHset() ? hashes.hmset(argv) : null;
            case "HSETEX":
                return target.hsetex() ? null : hashes.hsetex(argv);
            case "HGETEX":
                return target.hsetex() ? null : hashes.hgetex(argv);
            case "HGETDEL":
                return target.hgetdel() ? null : hashes.hgetdel(argv);
            case "HEXPIRE", "HPEXPIRE", "HEXPIREAT", "HPEXPIREAT", "HPERSIST":
                return target.hashFieldTtl() ? null : hashes.fieldTtlLost(name, argv);
            case "XADD":
                return streams.xadd(argv);
            case "XTRIM":
                return target.streamRefPolicies() ? null : streams.xtrim(argv);
            case "XDELEX":
                return target.streamRefPolicies() ? null : streams.xdelex(argv);
            case "XACKDEL":
                return target.streamRefPolicies() ? null : streams.xackdel(argv);
            case "XCFGSET", "XIDMPRECORD":
                return target.streamIdmp() ? null : dropped(name + " dropped (IDMP state lost)");
            case "XNACK":
                return target.streamNack() ? null : dropped("XNACK dropped (NACK state lost)");
            case "TRIMSLOTS":
                return dropped("TRIMSLOTS not forwarded (cluster-internal)");
            case "CLUSTER":
                return is(argv[1], "SYNCSLOTS") ? dropped("CLUSTER SYNCSLOTS not forwarded (cluster-internal)") : null;
            default:
                return null;
        }
    }

    private Translation dropped(String rule) {
        stats.dropped(rule);
        return Translation.DROPPED;
    }

    /** Whether {@code arg} is {@code token}, ASCII case-insensitively. */
    static boolean is(byte[] arg, String token) {
        if (arg.length != token.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            int c = arg[i] >= 'a' && arg[i] <= 'z' ? arg[i] - 32 : arg[i];
            if (c != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The integer in {@code arg}, or -1 when it is not one (the source took it, so it is). */
    static long num(byte[] arg) {
        try {
            return Long.parseLong(new String(arg, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** An argv from byte[] parts, Strings and byte[][] runs, in order. */
    static byte[][] argv(Object... parts) {
        List<byte[]> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof byte[] b) {
                out.add(b);
            } else if (p instanceof byte[][] run) {
                out.addAll(List.of(run));
            } else if (p instanceof List<?> list) {
                list.forEach(x -> out.add((byte[]) x));
            } else {
                out.add(Args.b(p.toString()));
            }
        }
        return out.toArray(new byte[0][]);
    }
}
