package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.filter.KeyFilter;
import io.ferry.rdb.ValueType;
import io.ferry.replication.ReplCommand;
import io.ferry.testing.CommandStream;
import io.ferry.testing.MemoryTarget;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** The stream applier against an in-memory target: routing, dbs, filters, and what fail and skip do. */
class StreamApplierTest {
    private static StreamApplier applier(MemoryTarget t, OnError onError, KeyFilter filter, IntUnaryOperator dbMap) {
        return new StreamApplier(t, onError, "sync-1", 100, 0, null, filter, dbMap, 3, () -> {});
    }

    private static StreamApplier run(MemoryTarget t, OnError onError, KeyFilter filter, IntUnaryOperator dbMap, CommandStream s) {
        StreamApplier a = applier(t, onError, filter, dbMap);
        for (ReplCommand c : s.cmds) {
            a.apply(c);
        }
        a.drain();
        return a;
    }

    @Test
    void everyCommandLandsInItsDbThroughTheMap() {
        MemoryTarget t = new MemoryTarget(4, 16);
        CommandStream s = new CommandStream(100).add("SET", "a", "1").add("SELECT", "5").add("SET", "b", "2").add("RPUSH", "l", "x", "y")
                .add("MULTI").add("INCR", "n").add("SELECT", "2").add("INCR", "n").add("EXEC")
                .add("DEL", "a", "b").add("MSET", "m1", "x", "m2", "y").add("SELECT", "0").add("SET", "z", "0");
        StreamApplier a = run(t, OnError.FAIL, KeyFilter.ALL, db -> db == 5 ? 7 : db, s);
        assertThat(a.failure()).isNull();
        assertThat(t.data()).isEqualTo(Map.of(
                0, Map.of("a", "1", "z", "0"),
                7, Map.of("b", "2", "l", List.of("x", "y"), "n", "1"), // the DEL ran in db 2, after the block's SELECT
                2, Map.of("n", "1", "m1", "x", "m2", "y")));
        assertThat(a.appliedOffset()).isEqualTo(s.offset);
    }

    @Test
    void failNamesTheRejectedCommandInAnyDbAndStops() {
        MemoryTarget t = new MemoryTarget(1, 16);
        t.put(5, "k", new java.util.ArrayDeque<>(List.of("x")));
        CommandStream s = new CommandStream(100).add("SET", "a", "1").add("SELECT", "5").add("INCR", "k").add("SET", "after", "1");
        StreamApplier a = run(t, OnError.FAIL, KeyFilter.ALL, IntUnaryOperator.identity(), s);
        assertThat(a.failure()).contains("rejected INCR").contains("WRONGTYPE");
    }

    @Test
    void skipCountsAndAppliesTheNeighbours() {
        MemoryTarget t = new MemoryTarget(1, 16);
        t.put(5, "k", new java.util.ArrayDeque<>(List.of("x")));
        CommandStream s = new CommandStream(100).add("SELECT", "5");
        for (int i = 0; i < 10; i++) {
            s.add("INCR", "n").add("INCR", "k").add("HSETNX", "h", "f", "v");
        }
        StreamApplier a = run(t, OnError.SKIP, KeyFilter.ALL, IntUnaryOperator.identity(), s);
        assertThat(a.failure()).isNull();
        assertThat(a.skippedErrors.sum()).isEqualTo(20);
        assertThat(t.get(5, "n")).isEqualTo("10");
        assertThat(t.get(5, "h")).isNull();
    }

    @Test
    void aCommandTheTargetWouldRefuseWhileQueueingStopsBeforeItUnderFail() {
        MemoryTarget t = new MemoryTarget(1, 16);
        CommandStream s = new CommandStream(100).add("SET", "a", "1").add("HSETNX", "h", "f", "v").add("SET", "b", "2");
        StreamApplier a = run(t, OnError.FAIL, KeyFilter.ALL, IntUnaryOperator.identity(), s);
        assertThat(a.failure()).contains("does not know the command HSETNX");
        assertThat(t.get(0, "a")).isEqualTo("1");
        assertThat(t.get(0, "b")).as("nothing after it").isNull();
        assertThat(a.appliedOffset()).as("a resume starts at the refused command").isEqualTo(110);
    }

    @Test
    void aDbTheTargetLacksStopsBeforeAnythingIsWrittenThere() {
        MemoryTarget t = new MemoryTarget(2, 16);
        CommandStream s = new CommandStream(100).add("SET", "a", "1").add("SELECT", "40").add("SET", "b", "2");
        StreamApplier a = run(t, OnError.SKIP, KeyFilter.ALL, IntUnaryOperator.identity(), s);
        assertThat(a.failure()).contains("source db 40").contains("only 16 dbs");
        assertThat(t.data()).isEqualTo(Map.of(0, Map.of("a", "1")));

        MemoryTarget filtered = new MemoryTarget(2, 16);
        KeyFilter db0 = new KeyFilter(Set.of(0), List.of(), List.of(), Set.of());
        assertThat(run(filtered, OnError.FAIL, db0, IntUnaryOperator.identity(), s).failure()).as("a db left out is no problem").isNull();
    }

    @Test
    void keyAndTypeFiltersHoldForTheStream() {
        MemoryTarget t = new MemoryTarget(2, 16);
        KeyFilter hashesOfUsers = new KeyFilter(Set.of(), List.of("user:*"), List.of(), Set.of(ValueType.HASH));
        CommandStream s = new CommandStream(100).add("HSET", "user:1", "f", "v").add("SET", "user:2", "v").add("HSET", "other", "f", "v")
                .add("RPUSH", "user:3", "x").add("DEL", "user:9");
        StreamApplier a = run(t, OnError.FAIL, hashesOfUsers, IntUnaryOperator.identity(), s);
        assertThat(t.data()).isEqualTo(Map.of(0, Map.of("user:1", Map.of("f", "v"))));
        assertThat(a.filtered.sum()).isEqualTo(3);
    }

    @Test
    void newCommandsAreTranslatedForTheTargetBeforeRouting() {
        MemoryTarget t = new MemoryTarget(4, 16); // a Redis 7.0 target
        CommandStream s = new CommandStream(100).add("MSETEX", "2", "a", "1", "b", "2", "NX").add("DELEX", "a")
                .add("HSETEX", "h", "PXAT", "1900000000000", "FIELDS", "1", "f", "v").add("XNACK", "s", "g", "1-1")
                .add("MULTI").add("SET", "c", "3", "IFEQ", "x").add("MSETEX", "1", "d", "4", "PX", "100000").add("EXEC")
                .add("SET", "z", "0");
        StreamApplier a = run(t, OnError.FAIL, KeyFilter.ALL, IntUnaryOperator.identity(), s);
        assertThat(a.failure()).isNull();
        assertThat(t.data()).isEqualTo(Map.of(0, Map.of("b", "2", "c", "3", "d", "4", "h", Map.of("f", "v"), "z", "0")));
        assertThat(a.appliedOffset()).as("a dropped command counts as applied").isEqualTo(s.offset);
        assertThat(a.translations.byRule()).containsEntry("MSETEX→SET", 2L).containsEntry("DELEX→DEL", 1L)
                .containsEntry("HSETEX→HSET", 1L).containsEntry("XNACK dropped (NACK state lost)", 1L).containsEntry("SET options→SET", 1L);
        assertThat(a.translations.fieldTtlsLost.sum()).isEqualTo(1);
        assertThat(a.unknownCommands.sum()).as("what the target got is known").isZero();
    }

    @Test
    void aCommandWithoutAnExactTranslationFollowsOnError() {
        CommandStream s = new CommandStream(100).add("SET", "a", "1").add("XACKDEL", "s", "g", "DELREF", "IDS", "1", "1-1").add("SET", "b", "2");
        MemoryTarget failing = new MemoryTarget(1, 16);
        StreamApplier f = run(failing, OnError.FAIL, KeyFilter.ALL, IntUnaryOperator.identity(), s);
        assertThat(f.failure()).contains("XACKDEL DELREF").contains("cannot forward XACKDEL for key 's'");
        assertThat(failing.get(0, "b")).isNull();
        assertThat(f.appliedOffset()).as("a resume starts at it").isEqualTo(110);

        MemoryTarget skipping = new MemoryTarget(1, 16);
        StreamApplier k = run(skipping, OnError.SKIP, KeyFilter.ALL, IntUnaryOperator.identity(), s);
        assertThat(k.failure()).isNull();
        assertThat(k.skippedErrors.sum()).isEqualTo(1);
        assertThat(skipping.data()).isEqualTo(Map.of(0, Map.of("a", "1", "b", "2")));
    }

    @Test
    void aCommandDroppedInsideAnOpenSourceMultiDoesNotMoveTheAppliedOffsetPastIt() {
        MemoryTarget t = new MemoryTarget(2, 16);
        CommandStream s = new CommandStream(100).add("SET", "a", "1").add("MULTI").add("XNACK", "s", "g", "1-1").add("SET", "b", "2");
        StreamApplier a = run(t, OnError.FAIL, KeyFilter.ALL, IntUnaryOperator.identity(), s);
        assertThat(a.appliedOffset()).as("nothing of the block counts before its EXEC").isEqualTo(120);
        assertThat(t.get(0, "b")).isNull();
    }
}
