package io.ferry.rdb;

/** LZF decompression (the format Redis uses for compressed RDB strings). */
public final class Lzf {
    private Lzf() {}

    /**
     * Decompresses {@code in[0..inLen)} into a new array of exactly {@code outLen} bytes.
     *
     * @throws IllegalArgumentException when the data is corrupt or does not fill {@code outLen}
     */
    public static byte[] decompress(byte[] in, int inLen, int outLen) {
        // The best LZF can do is a 3-byte back reference expanding to 264 bytes: anything claiming
        // more is corrupt, and must not be allocated (a damaged length could ask for 2 GiB).
        if (outLen > 88L * inLen) {
            throw new IllegalArgumentException("corrupt LZF data: " + inLen + " compressed bytes cannot hold " + outLen + " bytes");
        }
        byte[] out = new byte[outLen];
        int ip = 0;
        int op = 0;
        while (ip < inLen) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) { // literal run of ctrl+1 bytes
                int run = ctrl + 1;
                if (op + run > outLen || ip + run > inLen) {
                    throw new IllegalArgumentException("corrupt LZF data: literal run past the end");
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else { // back reference
                int len = ctrl >>> 5;
                if (ip >= inLen) {
                    throw new IllegalArgumentException("corrupt LZF data: truncated back reference");
                }
                if (len == 7) {
                    len += in[ip++] & 0xff;
                    if (ip >= inLen) {
                        throw new IllegalArgumentException("corrupt LZF data: truncated back reference");
                    }
                }
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                len += 2;
                if (ref < 0 || op + len > outLen) {
                    throw new IllegalArgumentException("corrupt LZF data: back reference out of range");
                }
                // Overlapping copies are legal (run-length style), so copy byte by byte when close.
                if (op - ref >= len) {
                    System.arraycopy(out, ref, out, op, len);
                    op += len;
                } else {
                    for (int k = 0; k < len; k++) {
                        out[op++] = out[ref++];
                    }
                }
            }
        }
        if (op != outLen) {
            throw new IllegalArgumentException("corrupt LZF data: " + op + " bytes decompressed, " + outLen + " expected");
        }
        return out;
    }
}
