package io.ferry.convert;

import static io.ferry.convert.CommandTranslator.argv;
import static io.ferry.convert.CommandTranslator.is;
import static io.ferry.convert.CommandTranslator.num;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hash commands of Redis 8 / Valkey 9 for an older target: HSETEX → HSET (+ HPEXPIREAT on 7.4),
 * HGETEX → HPEXPIREAT/HPERSIST, HGETDEL → HDEL, field-TTL commands dropped below 7.4 (counted).
 */
final class HashTranslations extends TranslationRules {
    /**
     * HSETEX … KEEPTTL on 7.4 (field TTLs, no HSETEX): HSET would clear the fields' TTLs, so the
     * script reads them first and sets them again. Redis replicates HINCRBYFLOAT this way too.
     */
    static final String HSET_KEEPTTL = "local f = {} for i = 1, #ARGV, 2 do f[#f + 1] = ARGV[i] end"
            + " local t = redis.call('HPEXPIRETIME', KEYS[1], 'FIELDS', #f, unpack(f))"
            + " redis.call('HSET', KEYS[1], unpack(ARGV))"
            + " for i = 1, #f do if t[i] and t[i] > 0 then redis.call('HPEXPIREAT', KEYS[1], t[i], 'FIELDS', 1, f[i]) end end return 1";

    HashTranslations(TargetFeatures target, TranslationStats stats) {
        super(target, stats);
    }

    /** Where "FIELDS n" starts in {@code a} (searched from {@code from}), or -1. */
    private static int fieldsAt(byte[][] a, int from, int perField) {
        for (int i = from; i + 1 < a.length; i++) {
            if (is(a[i], "FIELDS")) {
                long n = num(a[i + 1]);
                return n >= 1 && i + 2 + n * perField == a.length ? i : -1;
            }
        }
        return -1;
    }

    /** HSETEX k [FNX|FXX] [EX|PX|EXAT|PXAT t|KEEPTTL] FIELDS n f v …; FNX/FXX go (only a write that happened is replicated). */
    Translation hsetex(byte[][] a) {
        int f = fieldsAt(a, 2, 2);
        if (f < 0) {
            return null;
        }
        byte[][] pairs = Arrays.copyOfRange(a, f + 2, a.length);
        byte[][] names = new byte[pairs.length / 2][];
        for (int i = 0; i < names.length; i++) {
            names[i] = pairs[2 * i];
        }
        List<byte[][]> out = new ArrayList<>();
        boolean keep = false;
        byte[][] ttl = null; // the field-TTL command that goes with the HSET
        for (int i = 2; i < f; i++) {
            if (is(a[i], "KEEPTTL")) {
                keep = true;
            } else if (i + 1 < f && (is(a[i], "PXAT") || is(a[i], "EXAT"))) {
                long ms = is(a[i], "EXAT") ? num(a[i + 1]) * 1000 : num(a[i + 1]);
                ttl = argv("HPEXPIREAT", a[1], Long.toString(ms), "FIELDS", Integer.toString(names.length), names);
                i++;
            } else if (i + 1 < f && (is(a[i], "PX") || is(a[i], "EX"))) {
                long ms = is(a[i], "EX") ? num(a[i + 1]) * 1000 : num(a[i + 1]);
                ttl = argv("HPEXPIRE", a[1], Long.toString(ms), "FIELDS", Integer.toString(names.length), names);
                i++;
            } else if (!is(a[i], "FNX") && !is(a[i], "FXX")) {
                return null;
            }
        }
        if (keep && target.hashFieldTtl()) {
            out.add(argv("EVAL", HSET_KEEPTTL, "1", a[1], pairs));
        } else {
            out.add(hset(a[1], pairs));
        }
        if (ttl != null) {
            if (target.hashFieldTtl()) {
                out.add(ttl);
            } else {
                stats.fieldTtlsLost.add(names.length);
            }
        }
        stats.translated("HSETEX→HSET");
        return Translation.to(out);
    }

    /** HGETEX k [EX|PX|EXAT|PXAT t|PERSIST] FIELDS n f …: only its TTL change is a write. */
    Translation hgetex(byte[][] a) {
        int f = fieldsAt(a, 2, 1);
        if (f < 0) {
            return null;
        }
        byte[][] tail = Arrays.copyOfRange(a, f, a.length); // FIELDS n f …
        byte[][] out = null;
        if (f == 3 && is(a[2], "PERSIST")) {
            out = argv("HPERSIST", a[1], tail);
        } else if (f == 4 && (is(a[2], "PXAT") || is(a[2], "EXAT"))) {
            out = argv("HPEXPIREAT", a[1], Long.toString(is(a[2], "EXAT") ? num(a[3]) * 1000 : num(a[3])), tail);
        } else if (f == 4 && (is(a[2], "PX") || is(a[2], "EX"))) {
            out = argv("HPEXPIRE", a[1], Long.toString(is(a[2], "EX") ? num(a[3]) * 1000 : num(a[3])), tail);
        } else if (f != 2) {
            return null;
        }
        if (out == null) {
            stats.dropped("HGETEX dropped (a read)");
            return Translation.DROPPED;
        }
        if (!target.hashFieldTtl()) {
            return fieldTtlLost("HGETEX", a);
        }
        stats.translated("HGETEX→" + new String(out[0], java.nio.charset.StandardCharsets.US_ASCII));
        return Translation.to(out);
    }

    /** HGETDEL k FIELDS n f … → HDEL k f …. */
    Translation hgetdel(byte[][] a) {
        int f = fieldsAt(a, 2, 1);
        if (f != 2) {
            return null;
        }
        stats.translated("HGETDEL→HDEL");
        return Translation.to(argv("HDEL", a[1], Arrays.copyOfRange(a, 4, a.length)));
    }

    /** A field-TTL command for a target without field TTLs: dropped, each field's TTL counted as lost. */
    Translation fieldTtlLost(String name, byte[][] a) {
        int f = fieldsAt(a, 2, 1);
        stats.fieldTtlsLost.add(f < 0 ? 1 : num(a[f + 1]));
        stats.dropped(name + " dropped (field TTLs lost)");
        return Translation.DROPPED;
    }

    /** HSET k f v f v … → HMSET where HSET takes one field only (before 4.0). */
    Translation hmset(byte[][] a) {
        stats.translated("HSET→HMSET");
        return Translation.to(hset(a[1], Arrays.copyOfRange(a, 2, a.length)));
    }

    private byte[][] hset(byte[] key, byte[][] pairs) {
        return argv(target.multiFieldHset() || pairs.length == 2 ? "HSET" : "HMSET", key, pairs);
    }
}
