package io.ferry.replication;

/**
 * One command of the replication stream with its source offsets: {@code startOffset} is the
 * offset of the byte before it (a command boundary, where a resumed stream may start) and
 * {@code endOffset} the offset of its last byte.
 */
public record ReplCommand(byte[][] argv, long startOffset, long endOffset) {}
