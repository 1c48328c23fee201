package io.ferry.target;

import io.ferry.convert.TargetFeatures;
import java.util.List;

/**
 * Where converted commands go, as the appliers see it: what the target is (features, dbs, which
 * commands it takes), where a key goes (its lane), and the lanes themselves. A standalone server
 * is {@link RedisTarget}; a new kind of target (a cluster, a proxy, a file) implements this beside
 * it, and the snapshot and stream appliers write through it unchanged.
 */
public interface Target extends AutoCloseable {
    TargetFeatures features();

    /** Whether the target held no key at all when Ferry connected (no conflict is possible then). */
    boolean emptyAtOpen();

    List<Lane> lanes();

    /** Index in {@link #lanes()} of the lane of {@code key}; always the same for a key. */
    int laneIndex(byte[] key);

    default Lane laneFor(byte[] key) {
        return lanes().get(laneIndex(key));
    }

    default void flush() {
        for (Lane l : lanes()) {
            l.flush();
        }
    }

    default void drain() {
        for (Lane l : lanes()) {
            l.drain();
        }
    }

    /** {@link #nodeOfCommand}: the command runs on every node (it names no key: FLUSHALL, SCRIPT LOAD, ...). */
    int EVERY_NODE = -1;
    /** {@link #nodeOfCommand}: its keys live on several nodes, so it cannot run as one command there. */
    int SPANS_NODES = -2;

    /**
     * How many servers the lanes write to. A transaction, and so a lane batch with the checkpoints
     * written in it, holds on one node only. A standalone server is one node holding every lane.
     */
    default int nodes() {
        return 1;
    }

    /**
     * What a state directory is bound to, for a target reached through the address whose identity
     * is {@code given}: that address, unless the target knows itself better (a cluster, by its nodes).
     */
    default String identity(String given) {
        return given;
    }

    /** Whether a state directory bound to {@code recorded} (an earlier {@link #identity}) speaks of this target. */
    default boolean isIdentity(String recorded, String given) {
        return recorded.equals(identity(given));
    }

    /**
     * How many stream commands a lane gathers before it sends them as one batch (a quiet stream
     * sends smaller ones as soon as it runs dry). A batch's checkpoint costs a few writes per
     * unit of {@link BatchWriter#units}, so a target with many units wants bigger batches.
     */
    default int streamBatchCommands() {
        return 1000;
    }

    /** The node lane {@code lane} writes to. */
    default int nodeOfLane(int lane) {
        return 0;
    }

    /**
     * Where a command that is not routed by one key runs (a barrier: several keys, or none): a node,
     * {@link #EVERY_NODE} or {@link #SPANS_NODES}. A standalone server runs everything itself.
     */
    default int nodeOfCommand(byte[][] argv) {
        return 0;
    }

    /** {@link #nodeOfCommand} for a target that knows the node of each key: by the command's keys ({@link io.ferry.route.CommandKeys}). */
    static int nodeOfKeys(byte[][] argv, java.util.function.ToIntFunction<byte[]> nodeOfKey) {
        List<byte[]> keys = io.ferry.route.CommandKeys.of(argv);
        if (keys == null) {
            return SPANS_NODES;
        }
        if (keys.isEmpty()) {
            return EVERY_NODE;
        }
        int node = nodeOfKey.applyAsInt(keys.get(0));
        for (byte[] k : keys) {
            if (nodeOfKey.applyAsInt(k) != node) {
                return SPANS_NODES;
            }
        }
        return node;
    }

    /** The first thing a lane saw refused outside any command's own reply (a SELECT), or null. */
    String laneFailure();

    /** How many dbs the target has. */
    int databases();

    /** Throws {@link MissingDbException} (naming {@code what}) when the target has no db {@code targetDb}. */
    void requireDb(int targetDb, String what);

    /** Why the target would refuse {@code argv} before running it (unknown, wrong arity), or null. */
    String refusalOf(byte[][] argv);

    /** Whether a function library of this name is loaded on the target. */
    boolean hasFunctionLibrary(String name);

    /**
     * What each lane of sync {@code syncId} (of source partition {@code partition}, "" for a single source) recorded with its last applied batch (the
     * {@code __ferry_checkpoint:<lane>} keys a lane writes in the same transaction as its commands).
     */
    StreamApplier.LaneCheckpoints readCheckpoints(int lanes, String syncId, String partition);

    /**
     * A full sync is about to write its snapshot; {@code ours} says the target already holds an
     * earlier attempt of this same migration. A server needs nothing (keys are replaced); a file
     * starts over, and refuses to when it is not ours.
     */
    default void prepareFullSync(boolean ours) {}

    /**
     * The checkpoint strategy for the stream of sync {@code syncId} from source partition {@code partition}: {@code value} makes a
     * checkpoint's value for an offset, {@code applied} is what each unit's checkpoint said when the
     * stream resumed (null: a new stream).
     */
    default BatchWriter batchWriter(String syncId, String partition, java.util.function.LongFunction<String> value, long[] applied) {
        return new MultiExecBatchWriter(this, partition, value, applied);
    }

    /** The names of the modules the target has loaded (MODULE LIST), or null when unknown. */
    default List<String> modules() {
        return null;
    }

    /** Redirections followed and writes retried because the target's topology changed (a cluster's MOVED, ASK, failover). */
    default long redirectsFollowed() {
        return 0;
    }

    @Override
    void close();
}
