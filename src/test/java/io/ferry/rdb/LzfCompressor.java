package io.ferry.rdb;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * A small greedy LZF compressor for building test inputs (the reader only decompresses). It emits
 * every form the format has: literal runs of 1-32 bytes, short back references (length 3-8), long
 * ones (length byte), far offsets (up to 8191) and overlapping ones (runs).
 */
final class LzfCompressor {
    private LzfCompressor() {}

    static byte[] compress(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<Integer, Integer> last = new HashMap<>();
        int i = 0;
        int lit = 0;
        while (i < in.length) {
            int ref = -1;
            if (i + 3 <= in.length) {
                int h = (in[i] & 0xff) << 16 | (in[i + 1] & 0xff) << 8 | (in[i + 2] & 0xff);
                Integer p = last.put(h, i);
                if (p != null && i - p - 1 < 8192) {
                    ref = p;
                }
            }
            if (ref < 0) {
                i++;
                continue;
            }
            int max = Math.min(264, in.length - i);
            int len = 3;
            while (len < max && in[ref + len] == in[i + len]) {
                len++;
            }
            literals(out, in, lit, i);
            int off = i - ref - 1;
            int l = len - 2;
            if (l < 7) {
                out.write(l << 5 | off >> 8);
            } else {
                out.write(7 << 5 | off >> 8);
                out.write(l - 7);
            }
            out.write(off & 0xff);
            i += len;
            lit = i;
        }
        literals(out, in, lit, in.length);
        return out.toByteArray();
    }

    private static void literals(ByteArrayOutputStream out, byte[] in, int from, int to) {
        while (from < to) {
            int n = Math.min(32, to - from);
            out.write(n - 1);
            out.write(in, from, n);
            from += n;
        }
    }
}
