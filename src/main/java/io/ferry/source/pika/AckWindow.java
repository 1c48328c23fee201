package io.ferry.source.pika;

import java.util.ArrayDeque;

/**
 * The binlog items handed to the target but not yet acked to the master, by end position. The
 * master only accepts an ack whose both ends are item end offsets it sent and has not seen acked,
 * so an ack covers exactly a run of these, from the oldest to the last one the target applied.
 */
public final class AckWindow {
    private final ArrayDeque<Long> ends = new ArrayDeque<>();
    private final ArrayDeque<Long> execTimes = new ArrayDeque<>(); // of each item, unix seconds on the master

    /** A range of item ends to ack, both inclusive. */
    public record Range(long first, long last) {}

    public synchronized void add(long end, long execTimeSeconds) {
        ends.addLast(end);
        execTimes.addLast(execTimeSeconds);
    }

    /** When the master executed the oldest item not yet applied (unix seconds), or -1 when every item is. */
    public synchronized long oldestExecTime() {
        return execTimes.isEmpty() ? -1 : execTimes.peekFirst();
    }

    /** Removes and returns the items ending at or before {@code applied}; null when there are none. */
    public synchronized Range takeApplied(long applied) {
        if (ends.isEmpty() || ends.peekFirst() > applied) {
            return null;
        }
        long first = ends.pollFirst();
        execTimes.pollFirst();
        long last = first;
        while (!ends.isEmpty() && ends.peekFirst() <= applied) {
            last = ends.pollFirst();
            execTimes.pollFirst();
        }
        return new Range(first, last);
    }

    public synchronized int size() {
        return ends.size();
    }
}
