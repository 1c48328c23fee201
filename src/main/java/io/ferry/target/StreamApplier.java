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
 * its commands in batches, each one MULTI/EXEC that also records the lane's applied offset in a
 * checkpoint key on the target, so a restart after a crash skips exactly what was applied —
 * nothing lost, nothing doubled — whatever {@code --on-error} says: a command the target rejects
 * while running does not undo the others of its transaction, and one it would refuse while
 * queueing (unknown, wrong arity: EXECABORT would discard the whole batch) is caught before it is
 * sent.
 *
 * <p>The applied offset (what REPLCONF ACK reports and what is checkpointed) is the start of the
 * earliest command not yet confirmed by the target.
 */
public final class StreamApplier {
    /** Prefix of the per-lane checkpoint keys kept in db 0 of the target. */
    public static final String CHECKPOINT_KEY = "__ferry_checkpoint:";

    private final Target target;
    private final List<Lane> lanes;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StreamApplier.class);
    private static final int LOGGED_SKIPS = 10;

    private final OnError onError;
    private final String syncId;
    private final KeyFilter filter;
    private final IntUnaryOperator dbMap;
    private final long[] skipUpTo; // per lane: commands ending at or before this were applied before a crash
    private final Batch[] batches;
    private final int[] leadLane; // per target node: the lane that carries its barriers (standalone: lane 0)
    private final int batchCommands;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean targetLost;
    private final java.util.BitSet checkedDbs = new java.util.BitSet(); // target dbs known to exist

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
    public StreamApplier(Target target, OnError onError, String syncId, long startOffset, int startDb, long[] skipUpTo,
            KeyFilter filter, IntUnaryOperator dbMap, int batchCommands, Runnable onGetAck) {
        this.target = target;
        this.lanes = target.lanes();
        this.onError = onError;
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
        this.leadLane = new int[target.nodes()];
        java.util.Arrays.fill(leadLane, -1);
        for (int i = lanes.size() - 1; i >= 0; i--) {
            leadLane[target.nodeOfLane(i)] = i;
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

    /** The first failure (a rejected command under --on-error fail, a db the target lacks, or a lost target), or null. */
    public String failure() {
        String f = failure.get();
        return f != null ? f : target.laneFailure();
    }

    /** Whether the failure is a lost target connection (the stream may go on after a reconnect), not a refusal. */
    public boolean targetLost() {
        return targetLost;
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

    /**
     * Routes one command. After a failure nothing more is sent, and a command refused before it was
     * sent does not count as dispatched: the applied offset stays before it, so a resume retries it.
     */
    public void apply(ReplCommand c) {
        if (failure() != null) {
            return;
        }
        byte[][] argv = c.argv();
        CommandTable.Command cmd = CommandTable.lookup(argv[0]);
        CommandTable.Kind kind = cmd.kind();
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
                single(argv[1], argv, c, cmd);
                break;
            case SUBCOMMAND_KEY:
                if (argv.length > 2) {
                    single(argv[2], argv, c, cmd);
                } else {
                    barrier(c);
                }
                break;
            case SPLIT_KEYS:
                for (int i = 1; i < argv.length; i++) {
                    single(argv[i], new byte[][] {argv[0], argv[i]}, c, cmd);
                }
                break;
            case SPLIT_PAIRS:
                for (int i = 1; i + 1 < argv.length; i += 2) {
                    single(argv[i], new byte[][] {Args.b("SET"), argv[i], argv[i + 1]}, c, cmd);
                }
                break;
            case UNKNOWN:
                unknownCommands.increment();
                barrier(c);
                break;
            default:
                barrier(c);
        }
        if (failure.get() == null) {
            dispatched = c.endOffset();
        }
    }

    private void select(byte[][] argv, long end) {
        int to = Integer.parseInt(new String(argv[1], StandardCharsets.US_ASCII));
        if (to != db && requireTargetDb(to)) {
            db = to;
            dbChanges.put(end, db);
        }
    }

    /** Fails the run, before anything is written there, when source db {@code sourceDb} has no db on the target. */
    private boolean requireTargetDb(int sourceDb) {
        int t = dbMap.applyAsInt(sourceDb);
        if (!filter.acceptsDb(sourceDb) || t >= 0 && checkedDbs.get(t)) {
            return true;
        }
        try {
            target.requireDb(t, "source db " + sourceDb);
            checkedDbs.set(t);
            return true;
        } catch (MissingDbException e) {
            fail(e.getMessage());
            return false;
        }
    }

    /**
     * Whether the target would run {@code argv}; when it would refuse it while queueing, the command
     * is skipped and counted (--on-error skip) or the run stops before sending it (fail).
     */
    private boolean runnable(byte[][] argv, byte[] key) {
        String why = target.refusalOf(argv);
        if (why == null) {
            return true;
        }
        String what = CommandTable.name(argv) + (key == null ? "" : " for key '" + io.ferry.rdb.RdbReader.printable(key) + "'");
        if (onError == OnError.SKIP) {
            skipped(why + ": skipped " + what);
        } else {
            fail(why + ": cannot forward " + what + " (use --on-error skip to count such commands and go on)");
        }
        return false;
    }

    private void skipped(String message) {
        skippedErrors.increment();
        if (skippedErrors.sum() <= LOGGED_SKIPS) {
            LOG.warn("{} (--on-error skip{})", message, skippedErrors.sum() == LOGGED_SKIPS ? "; further ones are only counted" : "");
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

    /** Whether a command on {@code key} whose key holds {@code type} (null: any type) passes the filters. */
    private boolean accepted(byte[] key, io.ferry.rdb.ValueType type) {
        if (!filter.acceptsDb(db) || !filter.acceptsKey(key) || type != null && !filter.acceptsType(type)) {
            filtered.increment();
            return false;
        }
        return true;
    }

    private void single(byte[] key, byte[][] argv, ReplCommand c, CommandTable.Command cmd) {
        if (!accepted(key, cmd.type())) {
            return;
        }
        int lane = laneIndex(key);
        if (c.endOffset() <= skipUpTo[lane]) {
            return; // applied before the restart
        }
        if (!runnable(argv, key)) {
            return;
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
        List<Cmd> cmds = new ArrayList<>();
        List<Integer> nodeOf = new ArrayList<>(); // per command: its node (only read when the target has several)
        int dbBefore = db;
        for (ReplCommand c : block) {
            CommandTable.Command cmd = CommandTable.lookup(c.argv()[0]);
            CommandTable.Kind k = cmd.kind();
            if (k == CommandTable.Kind.SELECT) {
                select(c.argv(), c.endOffset());
                if (failure.get() != null) {
                    db = dbBefore; // nothing of the block was sent
                    return;
                }
                continue; // each command carries its db: the lane selects it
            }
            if (k == CommandTable.Kind.UNKNOWN) {
                unknownCommands.increment();
            }
            byte[] key = k == CommandTable.Kind.SINGLE_KEY && c.argv().length > 1 ? c.argv()[1]
                    : k == CommandTable.Kind.SUBCOMMAND_KEY && c.argv().length > 2 ? c.argv()[2] : null;
            if (key != null && !accepted(key, cmd.type())) {
                continue;
            }
            byte[][] argv = DbArguments.map(c.argv(), db, dbMap, filter::acceptsDb);
            if (argv == null) {
                filtered.increment();
                continue;
            }
            if (!runnable(argv, key)) {
                if (failure.get() != null) {
                    db = dbBefore;
                    return;
                }
                continue;
            }
            int l = key == null ? -2 : laneIndex(key);
            if (l == -2 || lane >= 0 && l != lane) {
                oneLane = false;
            }
            lane = l;
            if (target.nodes() > 1 && !nodesOfBlockCommand(argv, k, l, cmds, nodeOf)) {
                if (failure.get() != null) {
                    db = dbBefore;
                    return;
                }
                continue;
            }
            if (target.nodes() == 1) {
                cmds.add(new Cmd(dbMap.applyAsInt(db), argv));
            }
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
            b.addGroup(cmds, start);
            // The lane's checkpoint must cover the EXEC: `dispatched` still ends at the MULTI here,
            // and a checkpoint short of the block would make a resume apply the block twice.
            b.flushThrough(exec.endOffset());
            return;
        }
        barrierGroup(cmds, target.nodes() > 1 ? nodeOf : null, start, exec.endOffset());
    }

    /**
     * On a target of several nodes, adds a block's command with the node it runs on: a key's
     * command to its key's node, DEL/UNLINK/MSET split per key (each key's part to its node), a
     * barrier to {@link Target#nodeOfCommand}. A command whose keys span nodes is refused
     * ({@code --on-error}); returns false then.
     */
    private boolean nodesOfBlockCommand(byte[][] argv, CommandTable.Kind k, int lane, List<Cmd> cmds, List<Integer> nodeOf) {
        int tdb = dbMap.applyAsInt(db);
        if (lane >= 0) {
            cmds.add(new Cmd(tdb, argv));
            nodeOf.add(target.nodeOfLane(lane));
        } else if (k == CommandTable.Kind.SPLIT_KEYS) {
            for (int i = 1; i < argv.length; i++) {
                cmds.add(new Cmd(tdb, new byte[][] {argv[0], argv[i]}));
                nodeOf.add(target.nodeOfLane(laneIndex(argv[i])));
            }
        } else if (k == CommandTable.Kind.SPLIT_PAIRS) {
            for (int i = 1; i + 1 < argv.length; i += 2) {
                cmds.add(new Cmd(tdb, new byte[][] {Args.b("SET"), argv[i], argv[i + 1]}));
                nodeOf.add(target.nodeOfLane(laneIndex(argv[i])));
            }
        } else {
            int node = target.nodeOfCommand(argv);
            if (node == Target.SPANS_NODES) {
                spansNodes(argv);
                return false;
            }
            cmds.add(new Cmd(tdb, argv));
            nodeOf.add(node);
        }
        return true;
    }

    /** A command whose keys live on several nodes of the target: counted and skipped, or the run stops before it. */
    private void spansNodes(byte[][] argv) {
        String what = CommandTable.name(argv);
        String why = "its keys live on different nodes of the target (or Ferry cannot tell its keys), so it cannot run there as one command";
        if (onError == OnError.SKIP) {
            skipped(what + ": " + why + ": skipped");
        } else {
            fail("cannot forward " + what + ": " + why + " (use --on-error skip to count such commands and go on)");
        }
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
        int node = target.nodeOfCommand(argv);
        if (node != Target.SPANS_NODES && appliedOn(node, c.endOffset()) || !runnable(argv, null)) {
            return;
        }
        if (node == Target.SPANS_NODES) {
            spansNodes(argv);
            return;
        }
        barrierGroup(java.util.Collections.singletonList(new Cmd(dbMap.applyAsInt(db), argv)), target.nodes() > 1 ? List.of(node) : null,
                c.startOffset(), c.endOffset());
    }

    /** Whether a barrier ending at {@code end} was applied before a restart on {@code node} (or every node). */
    private boolean appliedOn(int node, long end) {
        for (int n = 0; n < leadLane.length; n++) {
            if ((node == Target.EVERY_NODE || node == n) && end > skipUpTo[leadLane[n]]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Drains every lane, applies the commands on the first lane of each node they go to
     * ({@code nodeOf}, per command; null: a standalone target, everything on lane 0) with the
     * checkpoints of every lane of that node, drains again. A node that applied them before a
     * restart (its checkpoint covers {@code end}) is left out.
     */
    private void barrierGroup(List<Cmd> cmds, List<Integer> nodeOf, long start, long end) {
        List<List<Cmd>> perNode = new ArrayList<>();
        for (int n = 0; n < leadLane.length; n++) {
            perNode.add(new ArrayList<>());
        }
        for (int i = 0; i < cmds.size(); i++) {
            int node = nodeOf == null ? 0 : nodeOf.get(i);
            for (int n = 0; n < perNode.size(); n++) {
                if (node == Target.EVERY_NODE || node == n) {
                    perNode.get(n).add(cmds.get(i));
                }
            }
        }
        boolean any = false;
        for (int n = 0; n < perNode.size(); n++) {
            if (perNode.get(n).isEmpty() || end <= skipUpTo[leadLane[n]]) {
                perNode.get(n).clear();
            } else {
                any = true;
            }
        }
        if (!any) {
            return;
        }
        barriers.increment();
        flush();
        target.drain();
        for (int n = 0; n < perNode.size(); n++) {
            if (!perNode.get(n).isEmpty()) {
                Batch b = batches[leadLane[n]];
                b.addGroup(perNode.get(n), start);
                b.flushWithAllCheckpoints(end);
            }
        }
        for (int n = 0; n < perNode.size(); n++) {
            if (!perNode.get(n).isEmpty()) {
                lanes.get(leadLane[n]).drain();
            }
        }
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
        for (int n = 0; n < leadLane.length; n++) { // each lane's key lives on its lane's node
            List<byte[]> del = new ArrayList<>();
            del.add(Args.b("DEL"));
            for (int i = 0; i < lanes.size(); i++) {
                if (target.nodeOfLane(i) == n) {
                    del.add(checkpointKey(i));
                }
            }
            Lane l = lanes.get(leadLane[n]);
            l.send(0, del.toArray(new byte[0][]), r -> {});
            l.flush();
            l.drain();
        }
    }

    public static byte[] checkpointKey(int lane) {
        return Args.b(CHECKPOINT_KEY + lane);
    }

    /** Per lane: applied up to {@code offsets[i]} (Long.MIN_VALUE: no key of this sync), where db {@code dbs[i]} was selected. */
    public record LaneCheckpoints(long[] offsets, int[] dbs) {
        /** From each lane's checkpoint value ("syncId offset db"; null: none): only those of sync {@code syncId} count. */
        public static LaneCheckpoints of(int lanes, String syncId, java.util.function.IntFunction<String> valueOfLane) {
            long[] offsets = new long[lanes];
            int[] dbs = new int[lanes];
            for (int i = 0; i < lanes; i++) {
                offsets[i] = Long.MIN_VALUE;
                String value = valueOfLane.apply(i);
                String[] v = value == null ? new String[0] : value.split(" ");
                if (v.length == 3 && v[0].equals(syncId)) {
                    offsets[i] = Long.parseLong(v[1]);
                    dbs[i] = Integer.parseInt(v[2]);
                }
            }
            return new LaneCheckpoints(offsets, dbs);
        }
    }

    /** Reads the lane checkpoint keys that an applier of sync {@code syncId} left on a server (db 0). */
    public static LaneCheckpoints readCheckpoints(io.ferry.resp.RedisConnection target, int lanes, String syncId) {
        target.call("SELECT", "0");
        return LaneCheckpoints.of(lanes, syncId, i -> {
            Reply r = target.call(Args.b("GET"), checkpointKey(i));
            return r.isError() || r.isNull() ? null : r.asString();
        });
    }

    /** "syncId offset db": the lane is applied up to offset, where the stream had db selected. */
    private String checkpointValue(long offset) {
        return syncId + " " + offset + " " + dbAt(offset);
    }

    /** One command with the target db it runs in. */
    private record Cmd(int db, byte[][] argv) {}

    /** Stands for the lane's checkpoint SETs among a transaction's replies. */
    private static final byte[][] CHECKPOINT = new byte[0][];

    /** One lane's pending commands, and the start offsets of its unconfirmed batches. */
    private final class Batch {
        private final int lane;
        private final List<Cmd> cmds = new ArrayList<>();
        private volatile long firstStart = Long.MAX_VALUE;
        private long firstAdded; // value of StreamApplier.added when the pending commands began
        private long lastEnd;
        private final ConcurrentLinkedQueue<Long> unconfirmed = new ConcurrentLinkedQueue<>();
        private final ReplyCallback expectOk = this::expectOk;

        Batch(int lane) {
            this.lane = lane;
        }

        int size() {
            return cmds.size();
        }

        long earliestUnconfirmed() {
            Long head = unconfirmed.peek();
            long h = head == null ? Long.MAX_VALUE : head;
            return Math.min(h, firstStart);
        }

        void add(int targetDb, byte[][] argv, long start) {
            if (cmds.isEmpty()) {
                firstStart = start;
                firstAdded = added;
            }
            cmds.add(new Cmd(targetDb, argv));
        }

        void addGroup(List<Cmd> group, long start) {
            if (cmds.isEmpty()) {
                firstStart = start;
                firstAdded = added;
            }
            cmds.addAll(group); // the lane's own MULTI/EXEC keeps the group atomic
        }

        void flush() {
            flushUpTo(dispatchedEndFor(), false);
        }

        void flushThrough(long end) {
            flushUpTo(Math.max(end, dispatchedEndFor()), false);
        }

        /** With the checkpoints of every lane of this lane's node (standalone: every lane). */
        void flushWithAllCheckpoints(long end) {
            flushUpTo(end, true);
        }

        private long dispatchedEndFor() {
            return Math.max(dispatched, lastEnd);
        }

        /**
         * Sends the pending commands and the lane's checkpoint as one transaction. The SELECT of the
         * first command goes before MULTI; one the lane puts inside is one more EXEC reply, so the
         * replies are matched to what was queued, not to the batch's positions.
         */
        private void flushUpTo(long end, boolean allCheckpoints) {
            if (cmds.isEmpty()) {
                return;
            }
            Lane l = lanes.get(lane);
            long start = firstStart;
            unconfirmed.add(start); // before the buffer forgets it, so the applied offset never overshoots
            List<Cmd> batch = new ArrayList<>(cmds);
            List<byte[][]> queued = new ArrayList<>(batch.size() + 4); // EXEC reply i answers queued[i] (null: a SELECT)
            List<String> refusedAtQueue = new ArrayList<>(0); // touched by the lane's reply thread only
            l.send(batch.get(0).db(), new byte[][] {Args.b("MULTI")}, expectOk);
            boolean selectedInside = false;
            for (Cmd c : batch) {
                selectedInside |= queue(l, c.db(), c.argv(), c.argv(), queued, refusedAtQueue);
            }
            // The checkpoint records the end of everything dispatched so far on this lane.
            long ckpt = Math.max(end, 0);
            for (int i = allCheckpoints ? 0 : lane; i < (allCheckpoints ? lanes.size() : lane + 1); i++) {
                if (target.nodeOfLane(i) != target.nodeOfLane(lane)) {
                    continue; // a lane's checkpoint lives on its own node
                }
                byte[][] set = {Args.b("SET"), checkpointKey(i), Args.b(checkpointValue(ckpt))};
                selectedInside |= queue(l, 0, set, CHECKPOINT, queued, refusedAtQueue);
            }
            l.send(-1, new byte[][] {Args.b("EXEC")}, new ReplyCallback() {
                @Override
                public void onReply(Reply r) {
                    if (r.isError()) {
                        aborted((Reply.Error) r, batch.size(), refusedAtQueue);
                    } else {
                        execReply(r.asList(), queued);
                    }
                    applied.add(batch.size());
                    unconfirmed.poll();
                    ackIfWanted();
                }

                @Override
                public void onFailure(Throwable cause) {
                    // Applied or not is unknown until the lane's checkpoint key is read back: the
                    // applied offset stays before this batch (it used to move past it, and a
                    // resume then skipped a batch the target never ran).
                    targetLost = true;
                    fail("lost the target: " + cause.getMessage());
                }
            });
            if (selectedInside) {
                l.forgetDb(); // if the transaction is discarded its SELECTs never ran
            }
            lastEnd = end;
            cmds.clear();
            firstStart = Long.MAX_VALUE;
        }

        /** Queues one command of the transaction; returns whether the lane put a SELECT before it. */
        private boolean queue(Lane l, int db, byte[][] argv, byte[][] stands, List<byte[][]> queued, List<String> refusedAtQueue) {
            boolean selected = l.send(db, argv, r -> {
                if (r.isError()) {
                    refusedAtQueue.add(CommandTable.name(argv) + ": " + ((Reply.Error) r).message());
                }
            });
            if (selected) {
                queued.add(null);
            }
            queued.add(stands);
            return selected;
        }

        private void expectOk(Reply r) {
            if (r.isError()) {
                fail("the target refused a replication step: " + ((Reply.Error) r).message());
            }
        }

        /** EXEC refused: nothing of the batch ran (a command refused while queueing, OOM, READONLY, …). */
        private void aborted(Reply.Error r, int commands, List<String> refusedAtQueue) {
            String why = refusedAtQueue.isEmpty() ? r.message() : refusedAtQueue.get(0);
            if (onError == OnError.SKIP) {
                skippedErrors.add(commands - 1);
                skipped("the target discarded a batch of " + commands + " commands (" + r.code() + ", first refused " + why + ")");
            } else {
                fail("the target discarded a batch of " + commands + " commands: it refused " + why);
            }
        }

        private void execReply(List<Reply> results, List<byte[][]> queued) {
            for (int i = 0; i < results.size() && i < queued.size(); i++) {
                if (!results.get(i).isError()) {
                    continue;
                }
                String message = ((Reply.Error) results.get(i)).message();
                byte[][] what = queued.get(i);
                if (what == null) {
                    fail("the target refused SELECT: " + message);
                } else if (what == CHECKPOINT) {
                    fail("the target refused to record the checkpoint: " + message);
                } else {
                    commandError(message, CommandTable.name(what));
                }
            }
        }

        private void commandError(String message, String command) {
            if (onError == OnError.SKIP) {
                skipped("the target rejected " + command + ": " + message);
            } else {
                fail("the target rejected " + command + ": " + message + " (use --on-error skip to count such commands and go on)");
            }
        }
    }
}
