package io.ferry.replication;

/**
 * How the source answered PSYNC. {@code offset} is the replication offset of the last byte before
 * the stream that follows (FULLRESYNC's offset, or the resumed position minus one).
 * {@code rdbLength} is the snapshot size, or -1 with an {@code eofMark} for diskless transfers.
 */
public record PsyncReply(boolean full, String replid, long offset, long rdbLength, byte[] eofMark) {}
