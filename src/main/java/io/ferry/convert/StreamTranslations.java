package io.ferry.convert;

import static io.ferry.convert.CommandTranslator.argv;
import static io.ferry.convert.CommandTranslator.is;
import static io.ferry.convert.CommandTranslator.num;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stream commands of Redis 8.2–8.8 for an older target: XADD's IDMP arguments and trim policies,
 * XDELEX/XACKDEL → XDEL (+ XACK) where that is exact (KEEPREF: the policy of XDEL itself).
 */
final class StreamTranslations extends TranslationRules {
    StreamTranslations(TargetFeatures target, TranslationStats stats) {
        super(target, stats);
    }

    private static boolean policy(byte[] arg) {
        return is(arg, "KEEPREF") || is(arg, "DELREF") || is(arg, "ACKED");
    }

    /**
     * XADD k [NOMKSTREAM] [KEEPREF|DELREF|ACKED] [IDMP p iid|IDMPAUTO p] [MAXLEN|MINID [=|~] t [LIMIT n]] id f v ….
     * A duplicate under IDMP is replicated with its "*" id (a new entry gets its real one): for a
     * target without IDMP it adds nothing, so it is dropped.
     */
    Translation xadd(byte[][] a) {
        boolean idmp = false;
        byte[] refPolicy = null;
        boolean trims = false;
        List<byte[]> out = new ArrayList<>(List.of(a[0], a[1]));
        int i = 2;
        while (i < a.length) {
            if (is(a[i], "NOMKSTREAM")) {
                out.add(a[i++]);
            } else if (policy(a[i])) {
                refPolicy = a[i++];
                if (target.streamRefPolicies()) {
                    out.add(refPolicy);
                }
            } else if (is(a[i], "IDMP") || is(a[i], "IDMPAUTO")) {
                int n = is(a[i], "IDMP") ? 3 : 2;
                if (target.streamIdmp()) {
                    out.addAll(Arrays.asList(a).subList(i, Math.min(a.length, i + n)));
                }
                idmp = true;
                i += n;
            } else if (is(a[i], "MAXLEN") || is(a[i], "MINID")) {
                trims = true;
                out.add(a[i++]);
                if (i < a.length && (is(a[i], "=") || is(a[i], "~"))) {
                    out.add(a[i++]);
                }
                if (i < a.length) {
                    out.add(a[i++]);
                }
                if (i + 1 < a.length && is(a[i], "LIMIT")) {
                    out.add(a[i++]);
                    out.add(a[i++]);
                }
            } else {
                break; // the id
            }
        }
        boolean dropIdmp = idmp && !target.streamIdmp();
        boolean dropPolicy = refPolicy != null && !target.streamRefPolicies();
        if (!dropIdmp && !dropPolicy || i >= a.length) {
            return null;
        }
        if (dropPolicy && trims && !is(refPolicy, "KEEPREF")) {
            return inexact("XADD", refPolicy);
        }
        if (dropIdmp && is(a[i], "*")) {
            stats.dropped("XADD IDMP duplicate dropped");
            return Translation.DROPPED;
        }
        out.addAll(Arrays.asList(a).subList(i, a.length));
        stats.translated(dropIdmp ? "XADD IDMP→XADD" : "XADD KEEPREF→XADD");
        return Translation.to(out.toArray(new byte[0][]));
    }

    /** XTRIM k MAXLEN|MINID [=|~] t [LIMIT n] [KEEPREF|DELREF|ACKED]: KEEPREF is XTRIM's own behaviour. */
    Translation xtrim(byte[][] a) {
        for (int i = 2; i < a.length; i++) {
            if (policy(a[i])) {
                if (!is(a[i], "KEEPREF")) {
                    return inexact("XTRIM", a[i]);
                }
                byte[][] out = new byte[a.length - 1][];
                System.arraycopy(a, 0, out, 0, i);
                System.arraycopy(a, i + 1, out, i, a.length - i - 1);
                stats.translated("XTRIM KEEPREF→XTRIM");
                return Translation.to(out);
            }
        }
        return null;
    }

    /** XDELEX k [KEEPREF|DELREF|ACKED] IDS n id … → XDEL k id … (KEEPREF). */
    Translation xdelex(byte[][] a) {
        int ids = idsAt(a, 2);
        if (ids < 0) {
            return null;
        }
        if (ids > 2 && !is(a[2], "KEEPREF")) {
            return inexact("XDELEX", a[2]);
        }
        stats.translated("XDELEX→XDEL");
        return Translation.to(argv("XDEL", a[1], Arrays.copyOfRange(a, ids + 2, a.length)));
    }

    /** XACKDEL k group [KEEPREF|DELREF|ACKED] IDS n id … → XACK k group id … + XDEL k id … (KEEPREF). */
    Translation xackdel(byte[][] a) {
        int ids = a.length > 3 ? idsAt(a, 3) : -1;
        if (ids < 0) {
            return null;
        }
        if (ids > 3 && !is(a[3], "KEEPREF")) {
            return inexact("XACKDEL", a[3]);
        }
        byte[][] idList = Arrays.copyOfRange(a, ids + 2, a.length);
        stats.translated("XACKDEL→XACK+XDEL");
        return Translation.to(argv("XACK", a[1], a[2], idList), argv("XDEL", a[1], idList));
    }

    /** Where "IDS n" is, at {@code from} or after one policy word, with n ids after it; else -1. */
    private static int idsAt(byte[][] a, int from) {
        int i = from < a.length && policy(a[from]) ? from + 1 : from;
        return i + 1 < a.length && is(a[i], "IDS") && num(a[i + 1]) >= 1 && i + 2 + num(a[i + 1]) == a.length ? i : -1;
    }

    private static Translation inexact(String command, byte[] policy) {
        return Translation.inexact(command + " " + new String(policy, java.nio.charset.StandardCharsets.US_ASCII)
                + " changes consumer-group references, which the target's commands cannot reproduce exactly");
    }
}
