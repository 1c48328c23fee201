package io.ferry.rdb;

import java.util.List;

/**
 * What a stream holds besides its entries (which a {@link ValueSink} receives one by one before
 * this): its counters and its consumer groups.
 * {@code firstId}, {@code maxDeletedId} and {@code entriesAdded} exist only in RDB 10+ (null/-1 before).
 */
public record StreamValue(
        long length,
        StreamId lastId,
        StreamId firstId,
        StreamId maxDeletedId,
        long entriesAdded,
        List<Group> groups) {

    /** Marks a consumer active time the format does not store (before RDB 11). */
    public static final long NOT_STORED = Long.MIN_VALUE;

    /** {@code entriesRead} is -1 when unknown or not stored. */
    public record Group(byte[] name, StreamId lastDeliveredId, long entriesRead, List<Pending> pel, List<Consumer> consumers) {}

    public record Pending(StreamId id, long deliveryTimeMs, long deliveryCount) {}

    /** {@code activeTimeMs} is -1 when never active, {@link #NOT_STORED} before RDB 11. */
    public record Consumer(byte[] name, long seenTimeMs, long activeTimeMs, List<StreamId> pending) {}
}
