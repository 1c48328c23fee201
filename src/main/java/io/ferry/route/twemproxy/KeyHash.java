package io.ferry.route.twemproxy;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The key hashes nutcracker offers ({@code hash:} of a pool), by their configuration names. */
public enum KeyHash {
    ONE_AT_A_TIME(OneAtATime::hash),
    MD5(Md5::hash),
    CRC16(Crc::crc16),
    CRC32(Crc::crc32),
    CRC32A(Crc::crc32a),
    FNV1_64(Fnv::fnv1_64),
    FNV1A_64(Fnv::fnv1a_64),
    FNV1_32(Fnv::fnv1_32),
    FNV1A_32(Fnv::fnv1a_32),
    HSIEH(Hsieh::hash),
    MURMUR(Murmur::hash),
    JENKINS(Jenkins::hash);

    /** A 32-bit hash of {@code len} bytes from {@code off} (read as unsigned). */
    @FunctionalInterface
    interface Fn {
        int hash(byte[] key, int off, int len);
    }

    private final Fn fn;

    KeyHash(Fn fn) {
        this.fn = fn;
    }

    public int hash(byte[] key, int off, int len) {
        return fn.hash(key, off, len);
    }

    public int hash(byte[] key) {
        return fn.hash(key, 0, key.length);
    }

    /** The name a nutcracker configuration uses ({@code fnv1a_64}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The hash of this configuration name, or null. */
    public static KeyHash byName(String name) {
        for (KeyHash h : values()) {
            if (h.configName().equals(name)) {
                return h;
            }
        }
        return null;
    }

    public static String names() {
        return Arrays.stream(values()).map(KeyHash::configName).collect(Collectors.joining(", "));
    }
}
