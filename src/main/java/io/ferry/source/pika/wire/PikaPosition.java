package io.ferry.source.pika.wire;

/**
 * Pika binlog positions as one comparable long: {@code filenum << 42 | offset << 8 | sub}. sub 0 = exactly at that
 * binlog position (an item end). sub k>0 = "k commands of the item starting at that position are done" (one binlog
 * item may become several target commands; each needs its own distinct, ordered position so a checkpoint can fall
 * between them). 21 + 34 + 8 bits = 63: every position is a non-negative long, so signed order is position order.
 */
public final class PikaPosition {
    public static final int MAX_SUB = 255;
    public static final long MAX_OFFSET = (1L << 34) - 1;
    public static final long MAX_FILENUM = (1L << 21) - 1;

    private PikaPosition() {}

    public static long of(long filenum, long offset) {
        if (filenum < 0 || filenum > MAX_FILENUM) throw new IllegalArgumentException("binlog filenum " + filenum + " outside 0.." + MAX_FILENUM + " (MAX_FILENUM)");
        if (offset < 0 || offset > MAX_OFFSET) throw new IllegalArgumentException("binlog offset " + offset + " outside 0.." + MAX_OFFSET + " (MAX_OFFSET)");
        return filenum << 42 | offset << 8;
    }

    public static long of(BinlogOffset o) {
        return of(o.filenum(), o.offset());
    }

    public static long sub(long boundary, int k) {
        if (subOf(boundary) != 0) throw new IllegalArgumentException("position " + describe(boundary) + " is not a binlog boundary (sub 0)");
        if (k < 1 || k > MAX_SUB) throw new IllegalArgumentException("sub " + k + " outside 1.." + MAX_SUB + " (MAX_SUB)");
        return boundary | k;
    }

    public static long filenum(long p) {
        return p >>> 42;
    }

    public static long offset(long p) {
        return (p >>> 8) & MAX_OFFSET;
    }

    public static int subOf(long p) {
        return (int) (p & 0xff);
    }

    public static long boundary(long p) {
        return p & ~0xffL;
    }

    /** The binlog offset a TrySync resumes from (sub dropped, term/index absent). */
    public static BinlogOffset toOffset(long p) {
        return BinlogOffset.of(filenum(p), offset(p));
    }

    public static String describe(long p) {
        int s = subOf(p);
        return filenum(p) + "/" + offset(p) + (s == 0 ? "" : "+" + s);
    }
}
