package io.ferry.target;

import io.ferry.convert.Args;
import io.ferry.filter.KeyFilter;
import io.ferry.replication.ReplCommand;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import io.ferry.route.CommandTable;
import io.ferry.route.DbArguments;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntUnaryOperator;

/**
 * Applies the replication stream to the target through lanes. Commands of one key always take the
 * lane of that key (per-key order); commands spanning lanes are ordered barriers. Each lane sends
 * its commands in batches; in transactional mode a batch is one MULTI/EXEC that also records the
 * lane's applied offset in a checkpoint key on the target, so a restart after a crash skips
 * exactly what was applied — nothing lost, nothing doubled.
 *
 * <p>The applied offset (what REPLCONF ACK reports and what is checkpointed) is the start of the
 * earliest command not yet confirmed by the target.
 */
public final class StreamApplier {
    /** Prefix of the per-lane checkpoint keys kept in db 0 of the target. */
    public static final String CHECKPOINT_KEY = "__ferry_checkpoint:";

    private final RedisTarget target;
    private final List<Lane> lanes;
    private final OnError onError;
    private final boolean transactional;
    private final String syncId;
    private final KeyFilter filter;
    private final IntUnaryOperator dbMap;
    private final long[] skipUpTo; // per lane: commands ending at or before this were applied before a crash
    private final Batch[] batches;
    private final int batchCommands;
    private final AtomicReference<String> failure = new AtomicReference<>();

    public final LongAdder applied = new LongAdder();
    public final LongAdder skippedErrors = new LongAdder();
    public final LongAdder unknownCommands = new LongAdder();
    public final LongAdder filtered = new LongAdder();
    public final LongAdder barriers = new LongAdder();

    private int db;
    private final int startDb;
    // Where the stream selected a db (SELECT's end offset -> db), from the applied offset on: every
    // checkpoint records the db in force at its offset, because a resumed stream does not repeat
    // the SELECT that came before it (the source selects once per db change, not per replica).
    private final ConcurrentSkipListMap<Long, Integer> dbChanges = new ConcurrentSkipListMap<>();
    private long added; // commands added to lane batches so far (the age of a pending batch is measured in these)
    private volatile long dispatched;
    private volatile long appliedOffset;
    private List<ReplCommand> multi; // inside a source MULTI block
    private final Runnable onGetAck;
    // A GETACK asks for an ACK covering everything before it (WAIT on the source waits for it):
    // the ACK goes out as soon as the applied offset reaches this point, not at the next interval.
    private volatile long ackWantedAt = -1;

    /**
     * {@code startDb} is the source db selected at {@code startOffset} (0 after a full sync, whose
     * stream starts with a SELECT; a resumed stream's from its checkpoint).
     */
    public StreamApplier(RedisTarget target, OnError onError, String syncId, long startOffset, int startDb, long[] skipUpTo,
            KeyFilter filter, IntUnaryOperator dbMap, int batchCommands, Runnable onGetAck) {
        this.target = target;
        this.lanes = target.lanes();
        this.onError = onError;
        this.transactional = onError == OnError.FAIL;
        this.syncId = syncId;
        this.filter = filter;
        this.dbMap = dbMap;
        this.batchCommands = batchCommands;
        this.onGetAck = onGetAck;
        this.skipUpTo = skipUpTo != null ? skipUpTo : new long[lanes.size()];
        if (skipUpTo == null) {
            java.util.Arrays.fill(this.skipUpTo, Long.MIN_VALUE);
        }
        this.batches = new Batch[lanes.size()];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = new Batch(i);
        }
        this.dispatched = startOffset;
        this.appliedOffset = startOffset;
        this.startDb = startDb;
        this.db = startDb;
    }

    /** The applied offset and the db selected there, read together (for a checkpoint). */
    public synchronized Position appliedPosition() {
        long at = appliedOffset();
        return new Position(at, dbAt(at));
    }

    public record Position(long offset, int db) {}

    /** The source db selected in the stream right after {@code offset} (an offset not below the applied one). */
    public int dbAt(long offset) {
        var e = dbChanges.floorEntry(offset);
        return e == null ? startDb : e.getValue();
    }

    /** The first failure (a rejected command under --on-error fail, or a lost target), or null. */
    public String failure() {
        return failure.get();
    }

    private void fail(String m) {
        failure.compareAndSet(null, m);
    }

    /** Offset up to which every command has been applied by the target. */
    public synchronized long appliedOffset() {
        long a = dispatched;
        for (Batch b : batches) {
            a = Math.min(a, b.earliestUnconfirmed());
        }
        if (a > appliedOffset) {
            appliedOffset = a;
            Long floor = dbChanges.floorKey(a);
            if (floor != null) {
                dbChanges.headMap(floor, false).clear(); // keep the db in force at the applied offset
            }
        }
        return appliedOffset;
    }

    public void apply(ReplCommand c) {
        byte[][] argv = c.argv();
        CommandTable.Kind kind = CommandTable.kind(argv[0]);
        if (multi != null && kind != CommandTable.Kind.EXEC && kind != CommandTable.Kind.IGNORE) {
            multi.add(c);
            return;
        }
        switch (kind) {
            case IGNORE:
                if (argv.length > 1 && CommandTable.name(argv).equals("REPLCONF") && new String(argv[1], StandardCharsets.US_ASCII).equalsIgnoreCase("GETACK")) {
                    ackWantedAt = c.startOffset();
                    flush(); // nothing before the GETACK may wait in a partial batch
                    ackIfWanted();
                }
                break;
            case SELECT:
                select(argv, c.endOffset());
                break;
            case MULTI:
                multi = new ArrayList<>();
                break;
            case EXEC:
                List<ReplCommand> block = multi == null ? List.of() : multi;
                multi = null;
                applyBlock(block, c);
                break;
            case SINGLE_KEY:
                single(argv[1], argv, c);
                break;
            case SUBCOMMAND_KEY:
                if (argv.length > 2) {
                    single(argv[2], argv, c);
                } else {
                    barrier(c);
                }
                break;
            case SPLIT_KEYS:
                for (int i = 1; i < argv.length; i++) {
                    single(argv[i], new byte[][] {argv[0], argv[i]}, c);
                }
                break;
            case SPLIT_PAIRS:
                for (int i = 1; i + 1 < argv.length; i += 2) {
                    single(argv[i], new byte[][] {Args.b("SET"), argv[i], argv[i + 1]}, c);
                }
                break;
            case UNKNOWN:
                unknownCommands.increment();
                barrier(c);
                break;
            default:
                barrier(c);
        }
        dispatched = c.endOffset();
    }

    private void select(byte[][] argv, long end) {
        int to = Integer.parseInt(new String(argv[1], StandardCharsets.US_ASCII));
        if (to != db) {
            db = to;
            dbChanges.put(end, db);
        }
    }

    /** Sends the ACK a GETACK asked for once the applied offset covers it (from any thread). */
    private void ackIfWanted() {
        long w = ackWantedAt;
        if (w >= 0 && appliedOffset() >= w) {
            ackWantedAt = -1;
            onGetAck.run();
        }
    }

    private boolean accepted(byte[] key) {
        if (!filter.acceptsDb(db) || !filter.acceptsKey(key)) {
            filtered.increment();
            return false;
        }
        return true;
    }

    private void single(byte[] key, byte[][] argv, ReplCommand c) {
        if (!accepted(key)) {
            return;
        }
        int lane = laneIndex(key);
        if (c.endOffset() <= skipUpTo[lane]) {
            return; // applied before the restart
        }
        Batch b = batches[lane];
        if (b.size() >= batchCommands) {
            b.flush();
            flushStale();
        }
        b.add(dbMap.applyAsInt(db), argv, c.startOffset());
        added++;
    }

    /**
     * Sends the partial batches of lanes that got few commands while others filled theirs. Without
     * this, under a sustained backlog (no idle moment) with skewed keys, a quiet lane kept its
     * batch unsent, and held back the applied offset, until the source paused.
     */
    private void flushStale() {
        long maxAge = (long) batchCommands * batches.length;
        for (Batch x : batches) {
            if (x.size() > 0 && added - x.firstAdded >= maxAge) {
                x.flush();
                lanes.get(x.lane).flush();
            }
        }
    }

    private int laneIndex(byte[] key) {
        return target.laneIndex(key);
    }

    /** A source MULTI/EXEC block: on one lane when all its keys share one, else a barrier. */
    private void applyBlock(List<ReplCommand> block, ReplCommand exec) {
        int lane = -1;
        boolean oneLane = true;
        List<byte[][]> cmds = new ArrayList<>();
        for (ReplCommand c : block) {
            CommandTable.Kind k = CommandTable.kind(c.argv()[0]);
            if (k == CommandTable.Kind.SELECT) {
                select(c.argv(), c.endOffset());
                cmds.add(new byte[][] {Args.b("SELECT"), Args.b(dbMap.applyAsInt(db))});
                continue;
            }
            if (k == CommandTable.Kind.UNKNOWN) {
                unknownCommands.increment();
            }
            byte[] key = k == CommandTable.Kind.SINGLE_KEY && c.argv().length > 1 ? c.argv()[1]
                    : k == CommandTable.Kind.SUBCOMMAND_KEY && c.argv().length > 2 ? c.argv()[2] : null;
            if (key != null && !accepted(key)) {
                continue;
            }
            byte[][] argv = DbArguments.map(c.argv(), db, dbMap, filter::acceptsDb);
            if (argv == null) {
                filtered.increment();
                continue;
            }
            int l = key == null ? -2 : laneIndex(key);
            if (l == -2 || lane >= 0 && l != lane) {
                oneLane = false;
            }
            lane = l;
            cmds.add(argv);
        }
        if (cmds.isEmpty()) {
            return;
        }
        long start = block.isEmpty() ? exec.startOffset() : block.get(0).startOffset();
        if (oneLane && lane >= 0) {
            if (exec.endOffset() <= skipUpTo[lane]) {
                return;
            }
            Batch b = batches[lane];
            b.flush();
            b.addGroup(dbMap.applyAsInt(db), cmds, start);
            // The lane's checkpoint must cover the EXEC: `dispatched` still ends at the MULTI here,
            // and a checkpoint short of the block would make a resume apply the block twice.
            b.flushThrough(exec.endOffset());
            return;
        }
        barrierGroup(cmds, start, exec.endOffset());
    }

    private void barrier(ReplCommand c) {
        String name = CommandTable.name(c.argv());
        if (!filter.acceptsEverything() && (name.equals("FLUSHALL") || name.equals("SWAPDB"))) {
            filtered.increment(); // would touch keys outside the filter
            return;
        }
        byte[][] argv = filter.acceptsDb(db) ? DbArguments.map(c.argv(), db, dbMap, filter::acceptsDb) : null;
        if (argv == null) {
            filtered.increment();
            return;
        }
        barrierGroup(java.util.Collections.singletonList(argv), c.startOffset(), c.endOffset());
    }

    /** Drains every lane, applies the commands on lane 0 with every lane's checkpoint, drains again. */
    private void barrierGroup(List<byte[][]> cmds, long start, long end) {
        if (end <= skipUpTo[0]) {
            return;
        }
        barriers.increment();
        flush();
        target.drain();
        Batch b = batches[0];
        b.addGroup(dbMap.applyAsInt(db), cmds, start);
        b.flushWithAllCheckpoints(end);
        lanes.get(0).drain();
    }

    /** Sends what the lanes have buffered (call when the source is idle, to keep lag low). */
    public void flush() {
        for (Batch b : batches) {
            b.flush();
        }
        target.flush();
    }

    /** Waits until the target has confirmed everything sent. */
    public void drain() {
        flush();
        target.drain();
    }

    /** Removes the checkpoint keys (after a clean shutdown, when the file checkpoint is exact). */
    public void clearCheckpointKeys() {
        byte[][] del = new byte[lanes.size() + 1][];
        del[0] = Args.b("DEL");
        for (int i = 0; i < lanes.size(); i++) {
            del[i + 1] = checkpointKey(i);
        }
        lanes.get(0).send(0, del, r -> {});
        lanes.get(0).flush();
        lanes.get(0).drain();
    }

    public static byte[] checkpointKey(int lane) {
        return Args.b(CHECKPOINT_KEY + lane);
    }

    /** Per lane: applied up to {@code offsets[i]} (Long.MIN_VALUE: no key of this sync), where db {@code dbs[i]} was selected. */
    public record LaneCheckpoints(long[] offsets, int[] dbs) {}

    /** Reads the lane checkpoint keys that an applier of sync {@code syncId} left on the target. */
    public static LaneCheckpoints readCheckpoints(io.ferry.resp.RedisConnection target, int lanes, String syncId) {
        long[] offsets = new long[lanes];
        int[] dbs = new int[lanes];
        target.call("SELECT", "0");
        for (int i = 0; i < lanes; i++) {
            Reply r = target.call(Args.b("GET"), checkpointKey(i));
            offsets[i] = Long.MIN_VALUE;
            if (!r.isError() && !r.isNull()) {
                String[] v = r.asString().split(" ");
                if (v.length == 3 && v[0].equals(syncId)) {
                    offsets[i] = Long.parseLong(v[1]);
                    dbs[i] = Integer.parseInt(v[2]);
                }
            }
        }
        return new LaneCheckpoints(offsets, dbs);
    }

    /** "syncId offset db": the lane is applied up to offset, where the stream had db selected. */
    private String checkpointValue(long offset) {
        return syncId + " " + offset + " " + dbAt(offset);
    }

    /** One lane's pending commands, and the start offsets of its unconfirmed batches. */
    private final class Batch {
        private final int lane;
        private final List<byte[][]> argvs = new ArrayList<>();
        private final List<Integer> dbs = new ArrayList<>();
        private volatile long firstStart = Long.MAX_VALUE;
        private long firstAdded; // value of StreamApplier.added when the pending commands began
        private long lastEnd;
        private final ConcurrentLinkedQueue<Long> unconfirmed = new ConcurrentLinkedQueue<>();
        private final ReplyCallback expectOk = this::expectOk;
        private final ReplyCallback expectQueued = this::expectQueued;

        Batch(int lane) {
            this.lane = lane;
        }

        int size() {
            return argvs.size();
        }

        long earliestUnconfirmed() {
            Long head = unconfirmed.peek();
            long h = head == null ? Long.MAX_VALUE : head;
            return Math.min(h, firstStart);
        }

        void add(int targetDb, byte[][] argv, long start) {
            if (argvs.isEmpty()) {
                firstStart = start;
                firstAdded = added;
            }
            argvs.add(argv);
            dbs.add(targetDb);
        }

        void addGroup(int targetDb, List<byte[][]> cmds, long start) {
            if (argvs.isEmpty()) {
                firstStart = start;
            }
            boolean wrap = !transactional && cmds.size() > 1;
            if (wrap) {
                argvs.add(new byte[][] {Args.b("MULTI")});
                dbs.add(targetDb);
            }
            for (byte[][] c : cmds) {
                argvs.add(c);
                dbs.add(targetDb);
                }
            if (wrap) {
                argvs.add(new byte[][] {Args.b("EXEC")});
                dbs.add(targetDb);
            }
        }

        void flush() {
            flushUpTo(dispatchedEndFor(), false);
        }

        void flushThrough(long end) {
            flushUpTo(Math.max(end, dispatchedEndFor()), false);
        }

        void flushWithAllCheckpoints(long end) {
            flushUpTo(end, true);
        }

        private long dispatchedEndFor() {
            return Math.max(dispatched, lastEnd);
        }

        private void flushUpTo(long end, boolean allCheckpoints) {
            if (argvs.isEmpty()) {
                return;
            }
            Lane l = lanes.get(lane);
            long start = firstStart;
            unconfirmed.add(start); // before the buffer forgets it, so the applied offset never overshoots
            // The commands of this batch, for error messages: their names are only worked out for a rejected one.
            List<byte[][]> batch = new ArrayList<>(argvs);
            if (transactional) {
                l.send(-1, new byte[][] {Args.b("MULTI")}, expectOk);
            }
            for (int i = 0; i < batch.size(); i++) {
                byte[][] argv = batch.get(i);
                l.send(dbs.get(i), argv, transactional ? expectQueued : r -> onCommandReply(r, argv));
            }
            // The checkpoint records the end of everything dispatched so far on this lane.
            long ckpt = Math.max(end, 0);
            if (allCheckpoints) {
                for (int i = 0; i < lanes.size(); i++) {
                    l.send(0, new byte[][] {Args.b("SET"), checkpointKey(i), Args.b(checkpointValue(ckpt))}, transactional ? expectQueued : expectOk);
                }
            } else {
                l.send(0, new byte[][] {Args.b("SET"), checkpointKey(lane), Args.b(checkpointValue(ckpt))}, transactional ? expectQueued : expectOk);
            }
            ReplyCallback done = new ReplyCallback() {
                @Override
                public void onReply(Reply r) {
                    if (transactional) {
                        execReply(r, batch);
                    } else if (r.isError()) {
                        fail("the target refused to record the checkpoint: " + ((Reply.Error) r).message());
                    }
                    applied.add(batch.size());
                    unconfirmed.poll();
                    ackIfWanted();
                }

                @Override
                public void onFailure(Throwable cause) {
                    fail("lost the target: " + cause.getMessage());
                    unconfirmed.poll();
                }
            };
            if (transactional) {
                l.send(-1, new byte[][] {Args.b("EXEC")}, done);
            } else {
                l.send(-1, new byte[][] {Args.b("PING")}, done);
            }
            lastEnd = end;
            argvs.clear();
            dbs.clear();
            firstStart = Long.MAX_VALUE;
        }

        private void expectOk(Reply r) {
            if (r.isError()) {
                fail("the target refused a replication step: " + ((Reply.Error) r).message());
            }
        }

        private void expectQueued(Reply r) {
            if (r.isError()) {
                // The command was refused before running (unknown command, wrong arity): EXEC will
                // abort the whole batch, so nothing of it is applied and the run must stop.
                fail("the target refused a forwarded command: " + ((Reply.Error) r).message());
            }
        }

        private void onCommandReply(Reply r, byte[][] argv) {
            if (r.isError()) {
                commandError(((Reply.Error) r).message(), CommandTable.name(argv));
            }
        }

        private void execReply(Reply r, List<byte[][]> batch) {
            if (r.isError()) {
                fail("the target aborted a batch: " + ((Reply.Error) r).message());
                return;
            }
            List<Reply> results = r.asList();
            for (int i = 0; i < results.size() && i < batch.size(); i++) {
                if (results.get(i).isError()) {
                    commandError(((Reply.Error) results.get(i)).message(), CommandTable.name(batch.get(i)));
                }
            }
        }

        private void commandError(String message, String command) {
            if (onError == OnError.SKIP) {
                skippedErrors.increment();
            } else {
                fail("the target rejected " + command + ": " + message + " (use --on-error skip to count such commands and go on)");
            }
        }
    }
}
