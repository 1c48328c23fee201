package io.ferry.target.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.checkpoint.ResumePoint;
import io.ferry.filter.KeyFilter;
import io.ferry.replication.ReplCommand;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.target.OnError;
import io.ferry.target.StreamApplier;
import io.ferry.target.Target;
import io.ferry.target.Targets;
import io.ferry.testing.CommandStream;
import io.ferry.testing.RedisClusterProcess;
import io.ferry.testing.RedisServerProcess;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cluster target at its seams, against a real 3-master cluster: lane batches and identity. */
@Timeout(120)
class ClusterTargetIT {
    private static final int LANES = 2;
    private static final int COUNTERS = 3000;
    private static final int COMMANDS = 45_000;
    private static final String SYNC_ID = "sync-batches";
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void start() {
        cluster = RedisClusterProcess.start(3, 0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static StreamApplier applier(Target t, long start, long[] skip) {
        return new StreamApplier(t, OnError.FAIL, SYNC_ID, start, 0, skip, KeyFilter.ALL, IntUnaryOperator.identity(), t.streamBatchCommands(), () -> {});
    }

    private static long scripts() {
        long n = 0;
        for (RedisServerProcess m : cluster.masters()) {
            try (RedisConnection c = m.connection()) {
                for (String line : c.call("INFO", "commandstats").asString().split("\r\n")) {
                    if (line.startsWith("cmdstat_evalsha:calls=")) {
                        n += Long.parseLong(line.substring("cmdstat_evalsha:calls=".length(), line.indexOf(',')));
                    }
                }
                c.call("CONFIG", "RESETSTAT");
            }
        }
        return n;
    }

    /** A state directory is bound to the cluster by its node IDs, whichever node Ferry was given. */
    @Test
    void theClusterIsKnownByItsNodesNotByTheSeed() {
        RedisServerProcess last = cluster.masters().get(2);
        String given = RedisUri.parse(cluster.seedUri()).identity();
        try (Target t = Targets.open(RedisUri.parse(cluster.seedUri()), null, LANES, 10_000, 64L << 20);
                Target viaOther = Targets.open(RedisUri.parse(last.uriWithPassword()), null, LANES, 10_000, 64L << 20)) {
            String id = t.identity(given);
            assertThat(id).startsWith("redis-cluster:").contains(cluster.nodeId(last));
            assertThat(viaOther.identity(RedisUri.parse(last.uriWithPassword()).identity())).isEqualTo(id);
            assertThat(viaOther.isIdentity(id, "redis://elsewhere:1")).isTrue();
            assertThat(viaOther.isIdentity("redis-cluster:0123456789abcdef0123456789abcdef01234567," + cluster.nodeId(last), given)).as("one node left").isTrue();
            assertThat(viaOther.isIdentity("redis-cluster:0123456789abcdef0123456789abcdef01234567", given)).as("another cluster").isFalse();
            // A state directory bound to a node's address (an earlier Ferry): still this cluster while that node is in it.
            assertThat(viaOther.isIdentity(given, "redis://elsewhere:1")).isTrue();
            assertThat(viaOther.isIdentity("redis://127.0.0.1:1", given)).isFalse();
        }
    }

    /** A user that may not run CLUSTER NODES: the state directory is bound to the address given, as before. */
    @Test
    void withoutClusterNodesTheAddressGivenIsTheIdentity() {
        for (RedisServerProcess n : cluster.nodes()) {
            try (RedisConnection c = n.connection()) {
                assertThat(c.call("ACL", "SETUSER", "nonodes", "on", ">pw", "~*", "+@all", "-cluster|nodes").isError()).isFalse();
            }
        }
        try {
            RedisUri seed = RedisUri.parse("redis://nonodes:pw@127.0.0.1:" + cluster.masters().get(0).port());
            try (Target t = Targets.open(seed, null, LANES, 10_000, 64L << 20)) {
                assertThat(t.identity(seed.identity())).isEqualTo(seed.identity());
                assertThat(t.isIdentity(seed.identity(), seed.identity())).isTrue();
                assertThat(t.isIdentity("redis-cluster:0123456789abcdef0123456789abcdef01234567", seed.identity())).isFalse();
            }
        } finally {
            for (RedisServerProcess n : cluster.nodes()) {
                try (RedisConnection c = n.connection()) {
                    c.call("ACL", "DELUSER", "nonodes");
                }
            }
        }
    }

    /**
     * A stream backlog at the applier level: lane batches as big as the cluster target asks for,
     * cut into several scripts per master (a slot's part never cut), applied exactly once across
     * a crash in the middle.
     */
    @Test
    void aBacklogLargerThanAScriptIsAppliedOnceAcrossACrash() throws Exception {
        CommandStream s = new CommandStream(1000);
        for (int i = 0; i < COMMANDS; i++) {
            s.add("INCR", "c:" + (i % COUNTERS));
            if (i % 3 == 0) {
                s.add("RPUSH", "hot", Integer.toString(i)); // one slot: a part of thousands of commands, never cut
            }
        }
        int crashAfter = s.cmds.size() * 3 / 5;
        try (Target t = Targets.open(RedisUri.parse(cluster.seedUri()), null, LANES, 10_000, 64L << 20)) {
            assertThat(t.streamBatchCommands()).as("a cluster's lane batch").isEqualTo(16_384);
            scripts();
            StreamApplier first = applier(t, 1000, null);
            for (ReplCommand c : s.cmds.subList(0, crashAfter)) {
                first.apply(c);
            }
            first.drain(); // what reached the target before the crash; the file checkpoint is lost
            assertThat(first.failure()).isNull();
            // 2 lanes x 16 Ki commands a batch over 3 masters would be a few scripts; at most 2048
            // commands a script (a slot's part aside) it takes at least one per 2048.
            assertThat(scripts()).as("scripts for %d commands", crashAfter).isGreaterThanOrEqualTo(crashAfter * 2 / 3 / 2048);

            StreamApplier.LaneCheckpoints lanes = t.readCheckpoints(LANES, SYNC_ID, "");
            ResumePoint from = ResumePoint.of(1000, 0, lanes.offsets(), lanes.dbs());
            StreamApplier second = applier(t, from.offset(), lanes.offsets());
            for (ReplCommand c : s.cmds) {
                if (c.startOffset() >= from.offset()) {
                    second.apply(c);
                }
            }
            second.drain();
            assertThat(second.failure()).isNull();
        }
        {
            for (RedisServerProcess m : cluster.masters()) {
                try (RedisConnection n = m.connection()) {
                    for (Reply k : n.call("KEYS", "c:*").asList()) {
                        int counter = Integer.parseInt(k.asString().substring(2));
                        long expected = COMMANDS / COUNTERS + (counter < COMMANDS % COUNTERS ? 1 : 0);
                        assertThat(n.call("GET", k.asString()).asLong()).as("counter %s", k.asString()).isEqualTo(expected);
                    }
                    Reply r = n.call("LRANGE", "hot", "0", "-1");
                    if (!r.isError()) { // MOVED from the masters that do not own it
                        List<Reply> hot = r.asList();
                        assertThat(hot).hasSize((COMMANDS + 2) / 3);
                        for (int i = 0; i < hot.size(); i++) {
                            assertThat(hot.get(i).asString()).as("hot[%d]", i).isEqualTo(Integer.toString(i * 3));
                        }
                    }
                }
            }
        }
        assertThat(cluster.dataset().keyCount()).as("every counter and the list").isEqualTo(COUNTERS + 1);
    }
}
