package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.checkpoint.ResumePoint;
import io.ferry.filter.KeyFilter;
import io.ferry.replication.ReplCommand;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import io.ferry.testing.CommandStream;
import io.ferry.testing.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exactly-once resume at the applier level, against a real target: after a "crash" (a new applier
 * built from the lane checkpoint keys, fed the same stream again from the lowest checkpoint), every
 * non-idempotent command has been applied exactly once, whichever way it travelled: one lane, a
 * source MULTI/EXEC block on one lane, a block spanning lanes (barrier), a split DEL; and in the
 * db the stream had selected, which a resumed stream does not repeat.
 */
class StreamApplierResumeIT {
    private static final int LANES = 4;
    private static final long START = 999;
    private static final String SYNC_ID = "sync-1";

    /** Two keys that share a lane and one on another lane, for this lane count. */
    private static String[] keys(RedisTarget t) {
        String a = "k:0";
        String sameLane = null;
        String otherLane = null;
        for (int i = 1; sameLane == null || otherLane == null; i++) {
            String k = "k:" + i;
            if (t.laneIndex(b(k)) == t.laneIndex(b(a))) {
                sameLane = sameLane == null ? k : sameLane;
            } else {
                otherLane = otherLane == null ? k : otherLane;
            }
        }
        return new String[] {a, sameLane, otherLane};
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static StreamApplier applier(RedisTarget t, OnError onError, long start, int db, long[] skip) {
        return new StreamApplier(t, onError, SYNC_ID, start, db, skip, KeyFilter.ALL, IntUnaryOperator.identity(), 1000, () -> {});
    }

    /** Exactly-once does not depend on --on-error: skip batches are transactions with their checkpoint too. */
    @ParameterizedTest
    @EnumSource(OnError.class)
    void everyShapeOfCommandIsAppliedOnceAcrossACrash(OnError onError) throws Exception {
        try (RedisServerProcess dst = RedisServerProcess.start(); RedisConnection c = dst.connection();
                RedisTarget t = RedisTarget.open(dst.uri(), null, LANES, 1000, 1 << 20)) {
            String[] k = keys(t);
            CommandStream s = new CommandStream(START + 1);
            s.add("SELECT", "3").add("INCR", k[0]);
            s.add("MULTI").add("INCR", k[0]).add("RPUSH", k[1], "x").add("EXEC"); // one lane
            s.add("MULTI").add("INCR", k[0]).add("INCR", k[2]).add("EXEC"); // spans lanes: a barrier
            s.add("RPUSH", k[1], "y").add("DEL", "gone:1", "gone:2").add("INCRBY", k[2], "5");
            s.add("MULTI").add("INCR", k[2]).add("EXEC"); // a one-command block, last on its lane
            s.add("SELECT", "4").add("INCR", k[0]);
            s.add("MULTI").add("INCR", k[0]).add("SELECT", "3").add("INCR", k[0]).add("EXEC"); // one lane, two dbs: each INCR in its own
            s.add("MULTI").add("SELECT", "3").add("INCR", k[0]).add("EXEC"); // the block switches the db back
            s.add("INCR", k[0]).add("INCR", k[2]);

            // Every prefix of the stream is a possible crash point; after each, resume and finish.
            for (int crashAfter = 1; crashAfter <= s.cmds.size(); crashAfter++) {
                c.call("FLUSHALL");
                StreamApplier first = applier(t, onError, START, 0, null);
                for (ReplCommand cmd : s.cmds.subList(0, crashAfter)) {
                    first.apply(cmd);
                }
                first.drain(); // what reached the target before the crash; the file checkpoint is lost
                StreamApplier.LaneCheckpoints lanes = StreamApplier.readCheckpoints(c, LANES, SYNC_ID);
                ResumePoint from = ResumePoint.of(START, 0, lanes.offsets(), lanes.dbs()); // the file checkpoint is the stream's start
                StreamApplier second = applier(t, onError, from.offset(), from.db(), lanes.offsets());
                for (ReplCommand cmd : s.cmds) {
                    if (cmd.startOffset() >= from.offset()) {
                        second.apply(cmd);
                    }
                }
                second.drain();
                assertThat(second.failure()).isNull();
                String at = "crash after " + crashAfter + " commands (resumed at " + from + ")";
                c.call("SELECT", "3");
                assertThat(c.call("GET", k[0]).asString()).as(at).isEqualTo("6");
                assertThat(c.call("LRANGE", k[1], "0", "-1").asList()).as(at).extracting(Reply::asString).containsExactly("x", "y");
                assertThat(c.call("GET", k[2]).asString()).as(at).isEqualTo("8");
                c.call("SELECT", "4");
                assertThat(c.call("GET", k[0]).asString()).as(at).isEqualTo("2");
                assertThat(c.call("DBSIZE").toString()).as(at).isEqualTo(new Reply.Int(1).toString());
                c.call("SELECT", "0");
                assertThat(c.call("KEYS", "k:*").asList()).as(at + ": nothing in db 0").isEmpty();
            }
        }
    }
}
