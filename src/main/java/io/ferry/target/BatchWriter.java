package io.ferry.target;

import java.util.List;

/**
 * A target's checkpoint strategy: how a lane's batch of stream commands and the checkpoint that
 * says it was applied reach the target together, all or nothing, so that a restart skips exactly
 * what was applied. A standalone server wraps them in MULTI/EXEC ({@link MultiExecBatchWriter});
 * a cluster, whose transactions may touch only one slot, keeps a checkpoint per slot.
 *
 * <p>Checkpoints are kept per <em>unit</em>: a resumed stream skips a command whose end offset is
 * at or below the checkpoint of its key's unit. A unit is a lane on a standalone server, a slot on
 * a cluster. One thread (the applier's) calls every method.
 */
public interface BatchWriter {
    /** How many checkpoint units there are. */
    int units();

    /** The unit of {@code key}, which goes through lane {@code lane}. */
    int unitOf(byte[] key, int lane);

    /**
     * Writes {@code cmds} of lane {@code lane}, recording that its units are applied up to
     * {@code checkpoint} (the value: {@code value} of the offset).
     */
    void write(int lane, List<Cmd> cmds, long checkpoint, BatchReplies replies);

    /**
     * Writes commands that must run in order against every lane (the caller has drained them) on
     * lane {@code lane}, recording every unit (of that lane's node) as applied up to {@code checkpoint}.
     */
    void writeBarrier(int lane, List<Cmd> cmds, long checkpoint, BatchReplies replies);

    /**
     * Whether a barrier ending at {@code end} was applied before the restart (the writer may also
     * decide per part, inside {@link #writeBarrier}).
     */
    boolean barrierApplied(long end);

    /**
     * Whether a source block (MULTI/EXEC) whose keys span units is split per unit instead of being
     * written as one barrier: where the target cannot run it as one transaction anyway (a cluster).
     */
    default boolean splitsBlocks() {
        return false;
    }

    void flush(int lane);

    void flush();

    /** Waits until every batch written has its outcome reported. */
    void drain();

    /** Removes the checkpoints (after a clean stop, when the file checkpoint is exact). */
    void clearCheckpoints();
}
