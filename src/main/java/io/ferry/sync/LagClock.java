package io.ferry.sync;

/**
 * Remembers when stream positions arrived, so the lag can be told in seconds: the age of the
 * oldest byte received but not yet applied. A small ring of (offset, time) samples is enough.
 */
final class LagClock {
    private static final int N = 1024;
    private final long[] offsets = new long[N];
    private final long[] nanos = new long[N];
    private int head;
    private int size;

    synchronized void arrived(long offset, long nowNanos) {
        if (size > 0 && offsets[(head + size - 1) % N] == offset) {
            return;
        }
        if (size == N) {
            head = (head + 1) % N;
            size--;
        }
        offsets[(head + size) % N] = offset;
        nanos[(head + size) % N] = nowNanos;
        size++;
    }

    /** Seconds since the first byte after {@code applied} arrived (0 when nothing is pending). */
    synchronized double lagSeconds(long applied, long nowNanos) {
        while (size > 1 && offsets[head] <= applied) {
            head = (head + 1) % N;
            size--;
        }
        if (size == 0 || offsets[head] <= applied) {
            return 0;
        }
        return (nowNanos - nanos[head]) / 1e9;
    }
}
