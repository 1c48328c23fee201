package io.ferry.route.twemproxy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * MD5 as nutcracker uses it: the {@code md5} key hash is the digest's first four bytes read
 * little-endian, and each ketama point is one of the digest's four little-endian words.
 */
final class Md5 {
    private Md5() {}

    static byte[] digest(byte[] k, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5"); // every Java platform has it
            md.update(k, off, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Word {@code i} (0..3) of a digest, little-endian. */
    static int word(byte[] digest, int i) {
        int o = i * 4;
        return (digest[o] & 0xff) | (digest[o + 1] & 0xff) << 8 | (digest[o + 2] & 0xff) << 16 | (digest[o + 3] & 0xff) << 24;
    }

    static int hash(byte[] k, int off, int len) {
        return word(digest(k, off, len), 0);
    }
}
