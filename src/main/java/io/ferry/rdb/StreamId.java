package io.ferry.rdb;

/** A stream entry id {@code ms-seq}; both parts are unsigned 64-bit. */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId ZERO = new StreamId(0, 0);

    /** Reads the 16-byte big-endian form used for radix-tree keys and PEL entries. */
    public static StreamId fromBytes(byte[] b, int off) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = (ms << 8) | (b[off + i] & 0xffL);
            seq = (seq << 8) | (b[off + 8 + i] & 0xffL);
        }
        return new StreamId(ms, seq);
    }

    public static StreamId parse(String s) {
        int dash = s.indexOf('-');
        if (dash < 0) {
            return new StreamId(Long.parseUnsignedLong(s), 0);
        }
        return new StreamId(Long.parseUnsignedLong(s.substring(0, dash)), Long.parseUnsignedLong(s.substring(dash + 1)));
    }

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
}
