package io.ferry.checkpoint;

/**
 * Where a resumed stream starts after a crash: every lane is applied at least up to the file
 * checkpoint, and up to its own target-side key when that is further; the stream restarts where
 * the least advanced lane stands, with the db the stream had selected there.
 */
public record ResumePoint(long offset, int db) {
    /** {@code laneOffsets[i]} is Long.MIN_VALUE for a lane without a key. */
    public static ResumePoint of(long fileOffset, int fileDb, long[] laneOffsets, int[] laneDbs) {
        ResumePoint p = null;
        for (int i = 0; i < laneOffsets.length; i++) {
            boolean own = laneOffsets[i] != Long.MIN_VALUE && laneOffsets[i] > fileOffset;
            long at = own ? laneOffsets[i] : fileOffset;
            if (p == null || at < p.offset) {
                p = new ResumePoint(at, own ? laneDbs[i] : fileDb);
            }
        }
        return p == null ? new ResumePoint(fileOffset, fileDb) : p;
    }
}
