package io.ferry.route.twemproxy;

/**
 * nutcracker's CRC hashes, with their quirks kept. {@code crc16} is CRC-16/XMODEM's table step
 * on a 32-bit state that is never cut to 16 bits (the bits shifted out above bit 15 stay in the
 * result, and they decide the server). {@code crc32} is CRC-32 reduced to bits 16..30 of its
 * final value (libmemcached's old form); {@code crc32a} is plain CRC-32.
 */
final class Crc {
    private static final int[] CRC16 = new int[256];
    private static final int[] CRC32 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 8;
            for (int j = 0; j < 8; j++) {
                c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1;
            }
            CRC16[i] = c & 0xffff;
            int r = i;
            for (int j = 0; j < 8; j++) {
                r = (r & 1) != 0 ? (r >>> 1) ^ 0xedb88320 : r >>> 1;
            }
            CRC32[i] = r;
        }
    }

    private Crc() {}

    static int crc16(byte[] k, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc = (crc << 8) ^ CRC16[((crc >>> 8) ^ k[i]) & 0xff];
        }
        return crc;
    }

    private static int crc32Raw(byte[] k, int off, int len) {
        int crc = 0xffffffff;
        for (int i = off; i < off + len; i++) {
            crc = (crc >>> 8) ^ CRC32[(crc ^ k[i]) & 0xff];
        }
        return ~crc;
    }

    static int crc32(byte[] k, int off, int len) {
        return (crc32Raw(k, off, len) >>> 16) & 0x7fff;
    }

    static int crc32a(byte[] k, int off, int len) {
        return crc32Raw(k, off, len);
    }
}
