package io.ferry.target;

/**
 * One command for the target with the target db it runs in, and the checkpoint unit
 * ({@link BatchWriter#unitOf}) the applier found for it, or -1 where it did not look one up.
 */
public record Cmd(int db, byte[][] argv, int unit) {
    public Cmd(int db, byte[][] argv) {
        this(db, argv, -1);
    }
}
