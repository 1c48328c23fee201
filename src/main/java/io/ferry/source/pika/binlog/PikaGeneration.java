package io.ferry.source.pika.binlog;

/** The Pika release lines whose binlogs differ in what they log and how (PIKA.md §6.3, fixture READMEs). */
public enum PikaGeneration {
    /** 3.1 – 3.4: SPOP logged verbatim, INCR/APPEND verbatim, 32-bit expiry. */
    V3_LEGACY,
    /** 3.5: INCR/APPEND as {@code pksetexat k 0 v}, SPOP as {@code srem}, 32-bit expiry, several types per name. */
    V3_5,
    /** 4.0: one type per name, millisecond TTLs, PSETEX in ms, the PEXPIREAT deletion bug. */
    V4_0;

    /** The generation of an {@code INFO server} {@code pika_version}; tag v4.0.1 reports "4.0.0". */
    public static PikaGeneration of(String pikaVersion) {
        String[] p = pikaVersion.strip().split("\\.");
        int major;
        int minor;
        try {
            major = Integer.parseInt(p[0]);
            minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a Pika version: \"" + pikaVersion + "\"", e);
        }
        if (major == 3 && minor >= 1 && minor <= 4) {
            return V3_LEGACY;
        }
        if (major == 3 && minor == 5) {
            return V3_5;
        }
        if (major == 4 && minor == 0) {
            return V4_0;
        }
        throw new IllegalArgumentException("unsupported Pika version " + pikaVersion + " (supported: 3.1 – 3.5, 4.0)");
    }

    /** Whether one name can hold several types (blackwidow, ≤ 3.5). */
    public boolean multiTypeNames() {
        return this != V4_0;
    }

    /** Whether expiry is a signed 32-bit unix time that wraps after 2038-01-19 (3.x). */
    boolean wraps32BitExpiry() {
        return this != V4_0;
    }
}
