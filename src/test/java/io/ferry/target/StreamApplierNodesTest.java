package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.convert.TargetFeatures;
import io.ferry.filter.KeyFilter;
import io.ferry.replication.ReplCommand;
import io.ferry.testing.CommandStream;
import io.ferry.testing.MemoryTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The stream applier on a target of several nodes (as twemproxy's backends): barriers run on the
 * nodes they concern with the checkpoints of those nodes' lanes only, blocks across nodes are
 * split per node, a resume skips a barrier exactly on the nodes that applied it, and a command
 * whose keys span nodes is refused or counted.
 */
class StreamApplierNodesTest {
    /** Two in-memory nodes, two lanes each (lane i on node i % 2); keys starting with 'a' live on node 0, others on node 1. */
    static final class Nodes implements Target {
        final List<MemoryTarget> nodes = List.of(new MemoryTarget(2, 1), new MemoryTarget(2, 1));
        final List<Lane> lanes = new ArrayList<>();

        Nodes() {
            for (int i = 0; i < 4; i++) {
                lanes.add(nodes.get(i % 2).lanes().get(i / 2));
            }
        }

        int node(byte[] key) {
            return key.length > 0 && key[0] == 'a' ? 0 : 1;
        }

        @Override
        public int laneIndex(byte[] key) {
            return node(key) + 2 * (key.length % 2);
        }

        @Override
        public int nodes() {
            return 2;
        }

        @Override
        public int nodeOfLane(int lane) {
            return lane % 2;
        }

        @Override
        public int nodeOfCommand(byte[][] argv) {
            return Target.nodeOfKeys(argv, this::node);
        }

        /** Checkpoint keys per node: name → value. */
        Map<String, String> checkpoints(int node) {
            Map<String, String> out = new TreeMap<>();
            nodes.get(node).dbs.getOrDefault(0, Map.of()).forEach((k, v) -> {
                if (k.startsWith(StreamApplier.CHECKPOINT_KEY)) {
                    out.put(k, (String) v);
                }
            });
            return out;
        }

        @Override
        public TargetFeatures features() {
            return nodes.get(0).features();
        }

        @Override
        public boolean emptyAtOpen() {
            return true;
        }

        @Override
        public List<Lane> lanes() {
            return lanes;
        }

        @Override
        public String laneFailure() {
            return null;
        }

        @Override
        public int databases() {
            return 1;
        }

        @Override
        public void requireDb(int targetDb, String what) {}

        @Override
        public String refusalOf(byte[][] argv) {
            return nodes.get(0).refusalOf(argv);
        }

        @Override
        public boolean hasFunctionLibrary(String name) {
            return false;
        }

        @Override
        public StreamApplier.LaneCheckpoints readCheckpoints(int laneCount, String syncId, String partition) {
            return StreamApplier.LaneCheckpoints.of(4, syncId, i -> checkpoints(i % 2).get(StreamApplier.CHECKPOINT_KEY + i));
        }

        @Override
        public void close() {}
    }

    private static StreamApplier applier(Nodes t, OnError onError, long[] skip) {
        return new StreamApplier(t, onError, "sync1", 0, 0, skip, KeyFilter.ALL, IntUnaryOperator.identity(), 1000, () -> {});
    }

    private static void run(StreamApplier a, CommandStream s) {
        for (ReplCommand c : s.cmds) {
            a.apply(c);
        }
        a.drain();
    }

    private static long offsetOf(String checkpointValue) {
        return Long.parseLong(checkpointValue.split(" ")[1]);
    }

    @Test
    void aKeylessBarrierRunsOnEveryNodeWithThatNodesCheckpointsOnly() {
        Nodes t = new Nodes();
        CommandStream s = new CommandStream(0).add("SET", "a1", "x").add("SET", "b1", "y").add("FLUSHDB").add("SET", "a22", "z");
        StreamApplier a = applier(t, OnError.FAIL, null);
        run(a, s);
        assertThat(a.failure()).isNull();
        assertThat(t.nodes.get(0).data()).isEqualTo(Map.of(0, Map.of("a22", "z")));
        assertThat(t.nodes.get(1).data()).isEmpty();
        assertThat(t.checkpoints(0).keySet()).containsExactlyInAnyOrder("__ferry_checkpoint:0", "__ferry_checkpoint:2");
        assertThat(t.checkpoints(1).keySet()).as("node 1 holds its own lanes' checkpoints, none of node 0's")
                .containsExactlyInAnyOrder("__ferry_checkpoint:1", "__ferry_checkpoint:3");
        assertThat(t.checkpoints(1).values()).allMatch(v -> offsetOf(v) >= 30, "covers the FLUSHDB");
    }

    @Test
    void aBlockAcrossNodesIsSplitPerNodeAndEachCheckpointCoversTheExec() {
        Nodes t = new Nodes();
        CommandStream s = new CommandStream(0).add("MULTI").add("SET", "a1", "x").add("RPUSH", "b1", "y").add("INCR", "a22").add("EXEC");
        StreamApplier a = applier(t, OnError.FAIL, null);
        run(a, s);
        assertThat(a.failure()).isNull();
        assertThat(t.nodes.get(0).data()).isEqualTo(Map.of(0, Map.of("a1", "x", "a22", "1")));
        assertThat(t.nodes.get(1).data()).isEqualTo(Map.of(0, Map.of("b1", List.of("y"))));
        StreamApplier.LaneCheckpoints c = t.readCheckpoints(4, "sync1", "");
        // Each part went with its lane's next batch: every lane that got a part has a checkpoint covering the EXEC.
        assertThat(java.util.Arrays.stream(c.offsets()).filter(o -> o != Long.MIN_VALUE).boxed().toList()).as("checkpoints of the lanes with a part")
                .hasSize(3).allMatch(o -> o >= s.offset);
    }

    @Test
    void aResumeSkipsABarrierOnTheNodesThatAppliedIt() {
        Nodes t = new Nodes();
        // Before the crash the FLUSHDB (ending at 10) ran on node 0 only, and node 0 got a key after it.
        t.nodes.get(0).put(0, "a-after", "kept");
        t.nodes.get(1).put(0, "b-before", "flushed");
        long[] skip = {10, Long.MIN_VALUE, 10, Long.MIN_VALUE};
        StreamApplier a = applier(t, OnError.FAIL, skip);
        run(a, new CommandStream(0).add("FLUSHDB"));
        assertThat(t.nodes.get(0).data()).as("node 0 applied it before: not again").isEqualTo(Map.of(0, Map.of("a-after", "kept")));
        assertThat(t.nodes.get(1).data()).as("node 1 had not: now it has").isEmpty();
    }

    @Test
    void aCommandWhoseKeysSpanNodesStopsTheRunOrIsCounted() {
        Nodes t = new Nodes();
        t.nodes.get(0).put(0, "a1", "v");
        StreamApplier fail = applier(t, OnError.FAIL, null);
        run(fail, new CommandStream(0).add("RENAME", "a1", "b1"));
        assertThat(fail.failure()).contains("cannot forward RENAME").contains("different nodes").contains("--on-error skip");
        assertThat(t.nodes.get(0).data()).isEqualTo(Map.of(0, Map.of("a1", "v")));

        StreamApplier skip = applier(t, OnError.SKIP, null);
        run(skip, new CommandStream(0).add("RENAME", "a1", "b1").add("RENAME", "a1", "a2"));
        assertThat(skip.failure()).isNull();
        assertThat(skip.skippedErrors.sum()).isEqualTo(1);
        assertThat(t.nodes.get(0).data()).as("a RENAME within one node runs there").isEqualTo(Map.of(0, Map.of("a2", "v")));
    }

    @Test
    void clearingTheCheckpointsRemovesEachFromItsNode() {
        Nodes t = new Nodes();
        StreamApplier a = applier(t, OnError.FAIL, null);
        run(a, new CommandStream(0).add("SET", "a1", "x").add("SET", "b1", "y").add("FLUSHDB"));
        a.clearCheckpointKeys();
        assertThat(t.checkpoints(0)).isEmpty();
        assertThat(t.checkpoints(1)).isEmpty();
    }
}
