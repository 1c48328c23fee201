package io.ferry.checkpoint;

/**
 * Where a sync stands, persisted in the state directory. {@code offset} is the source offset up
 * to which everything is applied on the target; {@code clean} means the run stopped after
 * draining, so the offset is exact and no target-side checkpoint keys need consulting. {@code db}
 * is the source db selected in the stream at {@code offset}: a resumed stream does not repeat it.
 * {@code syncId} names this sync (born with its full sync): the target-side lane checkpoint keys
 * carry it, so keys left by another sync are never trusted, while a source failover (a new
 * replication id, offsets continuing) keeps them valid.
 */
public record Checkpoint(String source, String replid, long offset, int lanes, String phase, boolean clean, int db, String syncId) {
    public static final String SNAPSHOT = "snapshot";
    public static final String INCREMENTAL = "incremental";

    public boolean resumable() {
        return INCREMENTAL.equals(phase) && replid != null && !replid.equals("?");
    }
}
