package io.ferry.rdb;

import java.util.List;

/**
 * What a stream holds besides its entries (which a {@link ValueSink} receives one by one before
 * this): its counters and its consumer groups.
 * {@code firstId}, {@code maxDeletedId} and {@code entriesAdded} exist only in RDB 10+ (null/-1 before);
 * {@code idmp} only in Redis RDB 13+ (null before).
 */
public record StreamValue(
        long length,
        StreamId lastId,
        StreamId firstId,
        StreamId maxDeletedId,
        long entriesAdded,
        List<Group> groups,
        Idmp idmp) {

    /** Marks a consumer active time the format does not store (before RDB 11). */
    public static final long NOT_STORED = Long.MIN_VALUE;

    /**
     * {@code entriesRead} is -1 when unknown or not stored. {@code nacked} lists the PEL entries
     * released by XNACK (Redis RDB 14), in PEL time order; null when the format has no NACK zone.
     */
    public record Group(byte[] name, StreamId lastDeliveredId, long entriesRead, List<Pending> pel, List<Consumer> consumers,
            List<StreamId> nacked) {}

    public record Pending(StreamId id, long deliveryTimeMs, long deliveryCount) {}

    /** {@code activeTimeMs} is -1 when never active, {@link #NOT_STORED} before RDB 11. */
    public record Consumer(byte[] name, long seenTimeMs, long activeTimeMs, List<StreamId> pending) {}

    /**
     * Idempotent-producer state (XADD … IDMP, Redis RDB 13+): the stream's configuration, each
     * producer's remembered idempotency ids with the entry each one added, and the counters.
     */
    public record Idmp(long durationSeconds, long maxEntries, List<Producer> producers, long iidsAdded, long iidsDuplicates) {
        /** The settings of a stream XCFGSET never touched. */
        public static final long DEFAULT_DURATION = 100;
        public static final long DEFAULT_MAX_ENTRIES = 100;

        public long iidCount() {
            return producers.stream().mapToLong(p -> p.iids().size()).sum();
        }
    }

    public record Producer(byte[] pid, List<Iid> iids) {}

    public record Iid(byte[] iid, StreamId id) {}

    /** NACKed PEL entries over all groups. */
    public long nackedCount() {
        return groups.stream().mapToLong(g -> g.nacked() == null ? 0 : g.nacked().size()).sum();
    }
}
