package io.ferry.convert;

import static io.ferry.convert.CommandTranslator.argv;
import static io.ferry.convert.CommandTranslator.is;
import static io.ferry.convert.CommandTranslator.num;

import java.util.ArrayList;
import java.util.List;

/** String and key commands for an older target: SET options, MSETEX, DELEX, UNLINK. */
final class StringTranslations extends TranslationRules {
    /**
     * SET … KEEPTTL where the target lacks KEEPTTL (before 6.0): the key's remaining TTL is read and
     * put back in one script, since a plain SET would clear it.
     */
    static final String SET_KEEPTTL = "local t = redis.call('PTTL', KEYS[1]) redis.call('SET', KEYS[1], ARGV[1])"
            + " if t > 0 then redis.call('PEXPIRE', KEYS[1], t) end return 1";

    private final java.util.function.LongSupplier clock;

    StringTranslations(TargetFeatures target, TranslationStats stats, java.util.function.LongSupplier clock) {
        super(target, stats);
        this.clock = clock;
    }

    /** How a SET or MSETEX sets the TTL: absolute (pxat ≥ 0), kept, relative (EX/PX n), or cleared. */
    private record Expiry(long pxat, boolean keep, byte[][] relative) {
        static final Expiry NONE = new Expiry(-1, false, null);
    }

    /**
     * SET k v [NX|XX] [GET] [EX|PX|EXAT|PXAT t|KEEPTTL] [IFEQ|IFNE|IFDEQ|IFDNE v]: rewritten only when
     * the target lacks an option. NX/XX, GET and the IF* conditions go (only a SET that happened is
     * replicated, so an unconditional one is exact).
     */
    Translation set(byte[][] a) {
        boolean lacks = false;
        Expiry e = Expiry.NONE;
        for (int i = 3; i < a.length; i++) {
            if (is(a[i], "NX") || is(a[i], "XX")) {
                continue;
            } else if (is(a[i], "GET")) {
                lacks |= !target.setGet();
            } else if (is(a[i], "KEEPTTL")) {
                lacks |= !target.setKeepTtl();
                e = new Expiry(-1, true, null);
            } else if (i + 1 >= a.length) {
                return null; // not a SET this table knows: the target says what it makes of it
            } else if (is(a[i], "EX") || is(a[i], "PX")) {
                e = new Expiry(-1, false, new byte[][] {a[i], a[++i]});
            } else if (is(a[i], "EXAT") || is(a[i], "PXAT")) {
                lacks |= !target.setPxat();
                long t = num(a[i + 1]);
                e = new Expiry(is(a[i], "EXAT") ? t * 1000 : t, false, null);
                i++;
            } else if (is(a[i], "IFEQ")) {
                lacks |= !target.setIfEq();
                i++;
            } else if (is(a[i], "IFNE") || is(a[i], "IFDEQ") || is(a[i], "IFDNE")) {
                lacks |= !target.redis84Strings();
                i++;
            } else {
                return null;
            }
        }
        if (!lacks) {
            return null;
        }
        List<byte[][]> out = set(a[1], a[2], e);
        if (out == null) {
            return Translation.inexact("SET … KEEPTTL: " + target.describe() + " has no KEEPTTL and no scripts to keep the TTL");
        }
        stats.translated("SET options→SET");
        return Translation.to(out);
    }

    /** MSETEX n k v … [NX|XX] [EX|PX|EXAT|PXAT t|KEEPTTL] → one SET per key, in one transaction. */
    Translation msetex(byte[][] a) {
        long n = num(a[1]);
        int opts = 2 + 2 * (int) n;
        if (n < 1 || opts > a.length) {
            return null;
        }
        Expiry e = Expiry.NONE;
        for (int i = opts; i < a.length; i++) {
            if (is(a[i], "KEEPTTL")) {
                e = new Expiry(-1, true, null);
            } else if (i + 1 < a.length && (is(a[i], "EX") || is(a[i], "PX"))) {
                e = new Expiry(-1, false, new byte[][] {a[i], a[++i]});
            } else if (i + 1 < a.length && (is(a[i], "EXAT") || is(a[i], "PXAT"))) {
                e = new Expiry(is(a[i], "EXAT") ? num(a[i + 1]) * 1000 : num(a[i + 1]), false, null);
                i++;
            } else if (!is(a[i], "NX") && !is(a[i], "XX")) {
                return null;
            }
        }
        List<byte[][]> out = new ArrayList<>();
        for (int i = 2; i < opts; i += 2) {
            List<byte[][]> one = set(a[i], a[i + 1], e);
            if (one == null) {
                return Translation.inexact("MSETEX … KEEPTTL: " + target.describe() + " has no KEEPTTL and no scripts to keep the TTL");
            }
            out.addAll(one);
        }
        stats.translated("MSETEX→SET");
        return Translation.to(out);
    }

    /** DELEX k [IFEQ|IFNE|IFDEQ|IFDNE v] → DEL k: replicated only when it deleted. */
    Translation delex(byte[][] a) {
        stats.translated("DELEX→DEL");
        return Translation.to(argv("DEL", a[1]));
    }

    /** UNLINK k … → DEL k … (before 4.0). */
    Translation unlink(byte[][] a) {
        stats.translated("UNLINK→DEL");
        byte[][] del = a.clone();
        del[0] = Args.b("DEL");
        return Translation.to(del);
    }

    /**
     * An expiry of the stream on Pika (see {@link TtlCommands}): PEXPIREAT never reaches 4.0 (it
     * deletes the key there), 3.x gets whole seconds rounded up and nothing after 2038. A time
     * already past deletes the key, as on the source.
     */
    Translation pikaExpiry(String name, byte[][] a) {
        if (a.length != 3) {
            return null; // NX/XX/GT/LT: Pika has none; it says so itself
        }
        long n = num(a[2]);
        long now = clock.getAsLong();
        long at = name.equals("PEXPIREAT") ? n : name.equals("EXPIREAT") ? n * 1000 : now + n;
        if (name.equals("EXPIREAT") && !TtlCommands.clamped(target, at) || name.equals("PEXPIRE") && !target.secondsTtl()) {
            return null; // taken as it is
        }
        if (at <= now) {
            stats.translated(name + " in the past→DEL");
            return Translation.to(argv("DEL", a[1]));
        }
        byte[][] out = TtlCommands.expireAt(target, a[1], at, now);
        stats.translated(name + "→" + new String(out[0], java.nio.charset.StandardCharsets.US_ASCII)
                + (TtlCommands.clamped(target, at) ? " (clamped to 2038-01-19)" : ""));
        return Translation.to(out);
    }

    /** SET k v with expiry {@code e}, in what the target takes. */
    private List<byte[][]> set(byte[] k, byte[] v, Expiry e) {
        if (e.pxat() >= 0 && target.pika()) {
            return List.<byte[][]>of(argv("SET", k, v, TtlCommands.setOptions(target, e.pxat(), clock.getAsLong())));
        }
        if (e.keep() && target.pika()) {
            return null; // neither KEEPTTL nor a script to keep the TTL: no exact translation
        }
        if (e.pxat() >= 0) {
            return target.setPxat() ? List.<byte[][]>of(argv("SET", k, v, "PXAT", Long.toString(e.pxat())))
                    : List.<byte[][]>of(argv("SET", k, v), argv("PEXPIREAT", k, Long.toString(e.pxat())));
        }
        if (e.keep()) {
            return List.<byte[][]>of(target.setKeepTtl() ? argv("SET", k, v, "KEEPTTL") : argv("EVAL", SET_KEEPTTL, "1", k, v));
        }
        if (e.relative() != null) {
            return List.<byte[][]>of(argv("SET", k, v, e.relative()));
        }
        return List.<byte[][]>of(argv("SET", k, v));
    }
}
