package io.ferry.rdb;

import java.util.Arrays;

/** Reads a zipmap blob (Redis < 2.6 small hashes): alternating field and value, then 0xFF. */
final class Zipmap implements PackCursor {
    private final byte[] b;
    private int p = 1; // byte 0 is the (capped) entry count
    private boolean valueNext;

    Zipmap(byte[] blob) {
        if (blob.length < 2) {
            throw new IllegalArgumentException("zipmap of " + blob.length + " bytes is too short");
        }
        b = blob;
    }

    @Override
    public boolean hasNext() {
        if (p >= b.length) {
            throw new IllegalArgumentException("zipmap does not end with 0xFF");
        }
        return (b[p] & 0xff) != 0xff;
    }

    @Override
    public byte[] next() {
        int len = b[p] & 0xff;
        if (len == 254) {
            need(5);
            len = (int) Ziplist.le(b, p + 1, 4);
            p += 5;
        } else if (len == 255) {
            throw new IllegalArgumentException("zipmap ended in the middle of an entry");
        } else {
            p += 1;
        }
        int free = 0;
        if (valueNext) {
            need(1);
            free = b[p++] & 0xff;
        }
        need(len + free);
        byte[] out = Arrays.copyOfRange(b, p, p + len);
        p += len + free;
        valueNext = !valueNext;
        return out;
    }

    private void need(int n) {
        if (p + n > b.length) {
            throw new IllegalArgumentException("zipmap entry runs past the end of the blob");
        }
    }
}
