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

    /** Redirections followed and writes retried because the target's topology changed (a cluster's MOVED, ASK, failover). */
    default long redirectsFollowed() {
        return 0;
    }

    @Override
    void close();
}
