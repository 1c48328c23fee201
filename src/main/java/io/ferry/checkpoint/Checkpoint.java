package io.ferry.checkpoint;

/**
 * Where a sync stands, persisted in the state directory. {@code offset} is the source offset up
 * to which everything is applied on the target; {@code clean} means the run stopped after
 * draining, so the offset is exact and no target-side checkpoint keys need consulting. {@code db}
 * is the source db selected in the stream at {@code offset}: a resumed stream does not repeat it.
 * {@code syncId} names this sync (born with its full sync): the target-side lane checkpoint keys
 * carry it, so keys left by another sync are never trusted, while a source failover (a new
 * replication id, offsets continuing) keeps them valid. {@code source}, {@code target} and
 * {@code shape} (the filters and db mapping) say which migration the directory belongs to: a
 * stream resumed into another target, or through other filters, would miss the snapshot.
 */
public record Checkpoint(String source, String replid, long offset, int lanes, String phase, boolean clean, int db, String syncId,
        String target, String shape) {
    public static final String SNAPSHOT = "snapshot";
    public static final String INCREMENTAL = "incremental";

    public boolean resumable() {
        return INCREMENTAL.equals(phase) && replid != null && !replid.equals("?");
    }

    /**
     * What differs between the migration this checkpoint belongs to and the one asked for now, in
     * words, or null when it is the same (a checkpoint written before Ferry recorded the target
     * and shape is taken as the same). {@code target} is the target's identity now, for the words;
     * {@code isTarget} tells whether the recorded one speaks of the same target.
     */
    public String differenceFrom(String source, String target, java.util.function.Predicate<String> isTarget, String shape) {
        if (this.source != null && !withoutCredentials(this.source).equals(source)) {
            return "its source is " + withoutCredentials(this.source) + ", not " + source;
        }
        if (this.target != null && !isTarget.test(this.target)) {
            return "its target is " + this.target + ", not " + target;
        }
        if (this.shape != null && !this.shape.equals(shape)) {
            return "it was written with " + this.shape + ", not " + shape;
        }
        return null;
    }

    /** Checkpoints before 0.2 recorded the redacted URI, with "user:***@" when there were credentials. */
    private static String withoutCredentials(String uri) {
        int at = uri.indexOf('@');
        int scheme = uri.indexOf("://");
        return at < 0 || scheme < 0 ? uri : uri.substring(0, scheme + 3) + uri.substring(at + 1);
    }
}
