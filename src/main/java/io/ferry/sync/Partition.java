package io.ferry.sync;

/**
 * One partition of a sync run, as the coordinator starts, watches and joins it: a Redis master
 * ({@link SyncSession}) or one db of a Pika master ({@link PikaSession}). Each keeps its own link,
 * positions and checkpoints.
 */
public interface Partition {
    /** Runs until {@link #stop()} or a failure (thrown, with an actionable message). */
    void run() throws Exception;

    /** Asks the partition to stop: it stops reading, drains, checkpoints and returns. */
    void stop();

    boolean stopping();

    SyncStats stats();

    /** One reading of its state for the status port (no secrets). */
    io.ferry.status.StatusSnapshot status();
}
