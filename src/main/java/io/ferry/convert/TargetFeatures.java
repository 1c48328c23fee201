package io.ferry.convert;

import io.ferry.rdb.RdbReader;
import io.ferry.rdb.RdbType;

/**
 * What a target server can take, derived from its version: which RESTORE payloads it accepts and
 * which commands the typed path may use.
 */
public record TargetFeatures(
        String product,
        int major,
        int minor,
        int patch,
        /** Highest RDB version its RESTORE accepts. */
        int rdbVersion,
        /** RENAME / RENAMENX allowed (false behind twemproxy). */
        boolean renameAllowed,
        boolean clusterMode) {

    public static TargetFeatures of(String product, String version, boolean renameAllowed, boolean clusterMode) {
        String[] p = version.split("\\.");
        int ma = Integer.parseInt(p[0]);
        int mi = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        int pa = p.length > 2 ? Integer.parseInt(p[2].replaceAll("[^0-9].*", "")) : 0;
        return new TargetFeatures(product, ma, mi, pa, rdbVersionFor(product, ma, mi), renameAllowed, clusterMode);
    }

    /** The RDB version a server writes and accepts, by release. */
    static int rdbVersionFor(String product, int major, int minor) {
        if (product.equals("pika")) {
            return 0; // no RESTORE at all (recorded: "unknown command"): every key goes typed
        }
        if (product.equals("valkey")) {
            return major >= 9 ? 80 : 11;
        }
        if (major > 8 || major == 8 && minor >= 8) {
            return 14; // also unstable builds, which report 255.255.255
        }
        if (major == 8 && minor >= 6) {
            return 13;
        }
        if (major == 8 || major == 7 && minor >= 4) {
            return 12;
        }
        if (major == 7) {
            return minor >= 2 ? 11 : 10;
        }
        if (major >= 5) {
            return 9;
        }
        if (major == 4) {
            return 8;
        }
        if (major == 3) {
            return minor >= 2 ? 7 : 6;
        }
        if (major == 2) {
            return minor >= 8 ? 6 : minor == 6 ? 5 : 4;
        }
        return 12;
    }

    private boolean atLeast(int ma, int mi) {
        return major > ma || major == ma && minor >= mi;
    }

    /**
     * Whether RESTORE on this target understands values of this RDB type code (Valkey-only codes
     * included: a Valkey value's type byte means something else to Redis).
     */
    public boolean acceptsRdbType(int rdbType) {
        int need = RdbType.minRdbVersion(rdbType);
        if (rdbVersion == RdbReader.VALKEY_VERSION) { // Valkey 9+: reads up to Redis RDB 11 plus its own
            return need <= 11 || RdbType.valkeyOnly(rdbType);
        }
        return !RdbType.valkeyOnly(rdbType) && need <= rdbVersion;
    }

    /** RESTORE … ABSTTL (Redis 5.0+). */
    public boolean restoreAbsTtl() {
        return !pika() && (product.equals("valkey") || atLeast(5, 0));
    }

    /** RESTORE … REPLACE (Redis 3.0+). */
    public boolean restoreReplace() {
        return !pika() && (product.equals("valkey") || atLeast(3, 0));
    }

    /** SET … NX PX (Redis 2.6.12+; every target Ferry supports from 2.8 on). */
    public boolean setWithOptions() {
        return pika() || product.equals("valkey") || atLeast(2, 8);
    }

    /** SET … PXAT, an absolute expiry (Redis 6.2+). */
    public boolean setPxat() {
        return !pika() && (product.equals("valkey") || atLeast(6, 2));
    }

    /** HSET with several field/value pairs (Redis 4.0+; HMSET before). */
    public boolean multiFieldHset() {
        return !pika() && (product.equals("valkey") || atLeast(4, 0)); // Pika: HMSET
    }

    /** Variadic RPUSH/SADD/ZADD (Redis 2.4+). */
    public boolean variadic() {
        return pika() || product.equals("valkey") || atLeast(2, 4);
    }

    /** HPEXPIREAT for hash-field TTLs (Redis 7.4+; Valkey 9+). */
    public boolean hashFieldTtl() {
        return !pika() && (product.equals("valkey") ? major >= 9 : atLeast(7, 4));
    }

    /** XSETID … ENTRIESADDED … MAXDELETEDID and XGROUP CREATE … ENTRIESREAD (Redis 7.0+). */
    public boolean streamCounters() {
        return !pika() && (product.equals("valkey") || atLeast(7, 0));
    }

    /** XGROUP CREATECONSUMER (Redis 6.2+). */
    public boolean createConsumer() {
        return !pika() && (product.equals("valkey") || atLeast(6, 2));
    }

    /** SET … KEEPTTL (Redis 6.0+). */
    public boolean setKeepTtl() {
        return !pika() && (product.equals("valkey") || atLeast(6, 0));
    }

    /** SET … GET (Redis 6.2+). */
    public boolean setGet() {
        return !pika() && (product.equals("valkey") || atLeast(6, 2));
    }

    /** UNLINK (Redis 4.0+). */
    public boolean unlink() {
        return !pika() && (product.equals("valkey") || atLeast(4, 0)); // Pika: DEL, which it surely has
    }

    /** HSETEX and HGETEX (Redis 8.0+; Valkey 9.0+). */
    public boolean hsetex() {
        return !pika() && (product.equals("valkey") ? major >= 9 : atLeast(8, 0));
    }

    /** HGETDEL (Redis 8.0+; Valkey 9.1+). */
    public boolean hgetdel() {
        return !pika() && (product.equals("valkey") ? atLeast(9, 1) : atLeast(8, 0));
    }

    /** SET … IFEQ (Redis 8.4+; Valkey 8.1+). */
    public boolean setIfEq() {
        return !pika() && (product.equals("valkey") ? atLeast(8, 1) : atLeast(8, 4));
    }

    /** SET … IFNE/IFDEQ/IFDNE, DELEX and MSETEX (Redis 8.4+; not Valkey). */
    public boolean redis84Strings() {
        return product.equals("redis") && atLeast(8, 4);
    }

    /** XDELEX, XACKDEL and the KEEPREF/DELREF/ACKED trim policies (Redis 8.2+; not Valkey). */
    public boolean streamRefPolicies() {
        return product.equals("redis") && atLeast(8, 2);
    }

    /** XNACK (Redis 8.8+; not Valkey). */
    public boolean streamNack() {
        return product.equals("redis") && atLeast(8, 8);
    }

    /**
     * The value stamped in the footer of a RESTORE payload of this type: the target's own RDB
     * version; for Valkey 9, 11 unless the type is Valkey's own (then 80, as its DUMP writes).
     */
    public int payloadVersion(int rdbType) {
        return rdbVersion == RdbReader.VALKEY_VERSION && !RdbType.valkeyOnly(rdbType) ? 11 : rdbVersion;
    }

    /** The AR* array commands and type (Redis 8.8+). */
    public boolean arrays() {
        return product.equals("redis") && rdbVersion >= 14;
    }

    /** XADD … IDMP/IDMPAUTO, XCFGSET, XIDMPRECORD (Redis 8.6+; not Valkey). */
    public boolean streamIdmp() {
        return product.equals("redis") && atLeast(8, 6);
    }

    /** A Pika server (any version): no DUMP/RESTORE, no scripts, no RENAME; seconds or milliseconds TTLs by generation. */
    public boolean pika() {
        return product.equals("pika");
    }

    /**
     * MULTI/EXEC, which a lane batch and its checkpoint need for exactly-once: every Redis and
     * Valkey; Pika from 3.5 (3.3 has none: the Pika target of 3.3 takes a sync at-least-once only).
     */
    public boolean transactions() {
        return !pika() || atLeast(3, 5);
    }

    /** EVAL/EVALSHA/FUNCTION (Pika has no scripting). */
    public boolean scripts() {
        return !pika();
    }

    /** Streams (XADD …): Pika from 3.5. */
    public boolean streams() {
        return !pika() || atLeast(3, 5);
    }

    /**
     * Pika 3.x keeps expiries as whole seconds in a signed 32-bit field: PEXPIRE/PEXPIREAT are cut to
     * the second below, and a time after 2038-01-19 wraps and deletes the key (recorded on 3.5.5).
     */
    public boolean secondsTtl() {
        return pika() && major < 4;
    }

    /** The latest expiry (unix ms) the target can hold without losing the key. */
    public long latestExpiryMs() {
        return secondsTtl() ? Integer.MAX_VALUE * 1000L : Long.MAX_VALUE;
    }

    /** PEXPIREAT as Redis means it: not on Pika 4.0, whose PEXPIREAT with a future time deletes the key (recorded, 4.0.1). */
    public boolean pexpireAt() {
        return !pika();
    }

    public String describe() {
        return product + " " + major + "." + minor + "." + patch;
    }
}
