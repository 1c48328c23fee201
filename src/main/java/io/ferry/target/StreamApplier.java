package io.ferry.target;

import io.ferry.convert.Args;
import io.ferry.convert.CommandTranslator;
import io.ferry.convert.Translation;
import io.ferry.convert.TranslationStats;
import io.ferry.filter.KeyFilter;
import io.ferry.replication.ReplCommand;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import io.ferry.route.CommandTable;
import io.ferry.route.DbArguments;
import io.ferry.route.KeyPrefixer;
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
    private final io.ferry.filter.DbMap prefixes; // --db-prefix, or null: keys go as they are
    private final BatchWriter writer;
    private final String partition; // "" for a single source; else the target also holds other shards' keys
    private final long[] skipUpTo; // per checkpoint unit: commands ending at or before this were applied before a crash
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
    /** Source blocks (MULTI/EXEC, scripts) split per checkpoint unit because the target cannot run them whole. */
    public final LongAdder splitBlocks = new LongAdder();
    /** Commands rewritten or dropped for an older target (see {@link CommandTranslator}). */
    public final TranslationStats translations = new TranslationStats();
    private final CommandTranslator translator;

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
        this(target, "", onError, syncId, startOffset, startDb, skipUpTo, filter, dbMap, batchCommands, onGetAck);
    }

    /** For source partition {@code partition} ("" for a single source), whose checkpoints are kept apart from the others'. */
    public StreamApplier(Target target, String partition, OnError onError, String syncId, long startOffset, int startDb, long[] skipUpTo,
            KeyFilter filter, IntUnaryOperator dbMap, int batchCommands, Runnable onGetAck) {
        this.target = target;
        this.lanes = target.lanes();
        this.onError = onError;
        this.syncId = syncId;
        this.filter = filter;
        this.dbMap = dbMap;
        this.prefixes = dbMap instanceof io.ferry.filter.DbMap m && m.prefixes() ? m : null;
        this.batchCommands = batchCommands;
        this.onGetAck = onGetAck;
        this.writer = target.batchWriter(syncId, partition, this::checkpointValue, skipUpTo);
        this.partition = partition;
        this.skipUpTo = skipUpTo != null ? skipUpTo : new long[writer.units()];
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
        this.translator = new CommandTranslator(target.features(), translations);
    }

    private volatile boolean ownsTargetDb;

    /**
     * No other partition of the run writes this partition's target db (each db of a Pika master
     * into its own db): its FLUSHDB erases only its own keys and goes through.
     */
    public void ownsTargetDb() {
        ownsTargetDb = true;
    }

    private record Tolerated(String code, java.util.function.Consumer<byte[][]> then) {}

    private volatile Tolerated tolerated;

    /**
     * Replies with error code {@code code} (its first word) are handed to {@code then} instead of
     * following --on-error: for a source that allows what the target refuses by design (a Pika
     * name of several types, refused as WRONGTYPE, is a same-name conflict, counted as such).
     */
    public void tolerate(String code, java.util.function.Consumer<byte[][]> then) {
        tolerated = new Tolerated(code, then);
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
        Translation t = translator.translate(c.argv());
        if (t == null) {
            route(c);
        } else {
            applyTranslated(c, t);
        }
    }

    /**
     * A command the target lacks, as {@link CommandTranslator} rewrote it: one command routes as
     * any other, several go as one transaction (as a source MULTI block would), none is dropped.
     */
    private void applyTranslated(ReplCommand c, Translation t) {
        List<ReplCommand> cmds = new ArrayList<>(t.commands().size());
        for (byte[][] argv : t.commands()) {
            cmds.add(new ReplCommand(argv, c.startOffset(), c.endOffset()));
        }
        if (t.inexact() != null) {
            String what = CommandTable.name(c.argv()) + " for key '" + io.ferry.rdb.RdbReader.printable(c.argv()[1]) + "'";
            if (onError == OnError.SKIP) {
                skipped(t.inexact() + ": skipped " + what);
            } else {
                fail(t.inexact() + ": cannot forward " + what + " (use --on-error skip to count such commands and go on)");
            }
        } else if (multi != null) {
            multi.addAll(cmds); // already inside the source's transaction
        } else if (cmds.size() == 1) {
            route(cmds.get(0));
            return;
        } else if (cmds.size() > 1) {
            applyBlock(cmds, c);
        }
        // Inside a source MULTI nothing counts as dispatched before its EXEC.
        if (multi == null && failure.get() == null) {
            dispatched = c.endOffset();
        }
    }

    private void route(ReplCommand c) {
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
        if (prefixes != null) {
            // Filters see the source's names; lanes and slots the names written.
            argv = prefixed(argv);
            if (argv == null) {
                return;
            }
            key = prefixes.targetKey(db, key);
        }
        int lane = laneIndex(key);
        int unit = writer.unitOf(key, lane);
        if (c.endOffset() <= skipUpTo[unit]) {
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
        b.add(dbMap.applyAsInt(db), argv, unit, c.startOffset());
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
                writer.flush(x.lane);
            }
        }
    }

    private int laneIndex(byte[] key) {
        return target.laneIndex(key);
    }

    /** A source MULTI/EXEC block: on one lane when all its keys share one, else a barrier. */
    private void applyBlock(List<ReplCommand> block, ReplCommand exec) {
        int lane = -1;
        int unit = -1;
        boolean oneLane = true;
        boolean allKeyed = true;
        List<Cmd> cmds = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>(); // of each command in cmds (null: none)
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
            byte[][] argv = prefixed(c.argv());
            if (argv == null) {
                if (failure.get() != null) {
                    db = dbBefore;
                    return;
                }
                continue;
            }
            if (key != null && prefixes != null) {
                key = prefixes.targetKey(db, key);
            }
            argv = DbArguments.map(argv, db, dbMap, filter::acceptsDb);
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
            if (key == null && writer.splitsBlocks() && (k == CommandTable.Kind.SPLIT_KEYS || k == CommandTable.Kind.SPLIT_PAIRS)) {
                // A multi-key DEL or MSET inside a block that is split anyway: one command per key.
                boolean pairs = k == CommandTable.Kind.SPLIT_PAIRS;
                for (int i = 1; i + (pairs ? 1 : 0) < argv.length; i += pairs ? 2 : 1) {
                    if (!accepted(c.argv()[i], cmd.type())) { // the source's name (argv's may be prefixed)
                        continue;
                    }
                    cmds.add(new Cmd(dbMap.applyAsInt(db), pairs ? new byte[][] {Args.b("SET"), argv[i], argv[i + 1]} : new byte[][] {argv[0], argv[i]}));
                    keys.add(argv[i]);
                }
                oneLane = false;
                continue;
            }
            allKeyed &= key != null;
            keys.add(key);
            int l = key == null ? -2 : laneIndex(key);
            int u = key == null ? -2 : writer.unitOf(key, l);
            if (l == -2 || lane >= 0 && (l != lane || u != unit)) {
                oneLane = false; // one lane and one checkpoint unit, or the block is a barrier
            }
            lane = l;
            unit = u;
            cmds.add(new Cmd(dbMap.applyAsInt(db), argv));
        }
        if (cmds.isEmpty()) {
            return;
        }
        long start = block.isEmpty() ? exec.startOffset() : block.get(0).startOffset();
        if (oneLane && lane >= 0) {
            if (exec.endOffset() <= skipUpTo[unit]) {
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
        if (allKeyed && writer.splitsBlocks()) {
            splitBlock(cmds, keys, start, exec.endOffset());
            return;
        }
        List<Integer> nodeOf = null;
        if (target.nodes() > 1) {
            // Each command to the node of its keys, or to every node; one whose keys span nodes cannot run.
            nodeOf = new ArrayList<>();
            for (int i = 0; i < cmds.size(); i++) {
                byte[] key = keys.get(i);
                int node = key != null ? target.nodeOfLane(laneIndex(key)) : target.nodeOfCommand(cmds.get(i).argv());
                if (node == Target.SPANS_NODES) {
                    spansNodes(cmds.get(i).argv());
                    if (failure.get() != null) {
                        db = dbBefore;
                        return;
                    }
                    cmds.remove(i);
                    keys.remove(i--);
                    continue;
                }
                nodeOf.add(node);
            }
            if (cmds.isEmpty()) {
                return;
            }
        }
        barrierGroup(cmds, nodeOf, start, exec.endOffset());
    }

    /**
     * A block whose keys span checkpoint units on a target that cannot run it as one transaction
     * (a cluster: one slot per transaction): each unit's commands go, in order, with that unit's
     * next batch, so each part is applied exactly once, though not atomically with the others.
     */
    private void splitBlock(List<Cmd> cmds, List<byte[]> keys, long start, long end) {
        splitBlocks.increment();
        java.util.Map<Integer, List<Cmd>> byLane = new java.util.LinkedHashMap<>();
        for (int i = 0; i < cmds.size(); i++) {
            int lane = laneIndex(keys.get(i));
            if (end <= skipUpTo[writer.unitOf(keys.get(i), lane)]) {
                continue; // this part was applied before the restart
            }
            byLane.computeIfAbsent(lane, x -> new ArrayList<>()).add(cmds.get(i));
        }
        for (var e : byLane.entrySet()) {
            Batch b = batches[e.getKey()];
            b.flush();
            b.addGroup(e.getValue(), start);
            b.flushThrough(end);
        }
    }

    private void barrier(ReplCommand c) {
        String name = CommandTable.name(c.argv());
        if (!filter.acceptsEverything() && (name.equals("FLUSHALL") || name.equals("SWAPDB"))) {
            filtered.increment(); // would touch keys outside the filter
            return;
        }
        if (!partition.isEmpty() && (name.equals("FLUSHALL") || name.equals("FLUSHDB") && !ownsTargetDb || name.equals("SWAPDB"))) {
            String why = "source shard " + partition + " sent " + name + ", which on the target would also erase the other shards' keys";
            if (onError == OnError.SKIP) {
                skipped(why + ": skipped");
            } else {
                fail(why + "; stopped before applying it (use --on-error skip to count such commands and go on)");
            }
            return;
        }
        if (!filter.acceptsDb(db)) {
            filtered.increment();
            return;
        }
        byte[][] argv = prefixed(c.argv());
        if (argv == null) {
            return; // refused: counted or failed
        }
        argv = DbArguments.map(argv, db, dbMap, filter::acceptsDb);
        if (argv == null) {
            filtered.increment();
            return;
        }
        int node = target.nodeOfCommand(argv);
        boolean applied = target.nodes() > 1 ? node != Target.SPANS_NODES && appliedOn(node, c.endOffset()) : writer.barrierApplied(c.endOffset());
        if (applied || !runnable(argv, null)) {
            return;
        }
        if (node == Target.SPANS_NODES) {
            spansNodes(argv);
            return;
        }
        barrierGroup(java.util.Collections.singletonList(new Cmd(dbMap.applyAsInt(db), argv)), target.nodes() > 1 ? List.of(node) : null,
                c.startOffset(), c.endOffset());
    }

    /**
     * {@code argv} of the current db with its keys under that db's {@code --db-prefix}; null when it
     * cannot be written so (its keys unknown, a FLUSHDB of a shared db): counted under
     * --on-error skip, else the run stops before it.
     */
    private byte[][] prefixed(byte[][] argv) {
        if (prefixes == null) {
            return argv;
        }
        try {
            return KeyPrefixer.rewrite(argv, db, prefixes, filter::acceptsDb);
        } catch (KeyPrefixer.Refused e) {
            if (onError == OnError.SKIP) {
                skipped(e.getMessage() + ": skipped");
            } else {
                fail(e.getMessage() + "; stopped before applying it (use --on-error skip to count such commands and go on)");
            }
            return null;
        }
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
     * Drains every lane, applies the commands with every lane's checkpoint (on a target of several
     * nodes: on the first lane of each node they go to, {@code nodeOf} per command, with the
     * checkpoints of that node's lanes, leaving out a node whose checkpoint already covers
     * {@code end}), drains again.
     */
    private void barrierGroup(List<Cmd> cmds, List<Integer> nodeOf, long start, long end) {
        if (nodeOf == null) {
            if (writer.barrierApplied(end)) {
                return;
            }
            barriers.increment();
            flush();
            writer.drain();
            Batch b = batches[0];
            b.addGroup(cmds, start);
            b.flushWithAllCheckpoints(end);
            writer.drain();
            return;
        }
        List<List<Cmd>> perNode = new ArrayList<>();
        for (int n = 0; n < leadLane.length; n++) {
            perNode.add(new ArrayList<>());
        }
        for (int i = 0; i < cmds.size(); i++) {
            int node = nodeOf.get(i);
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
        writer.drain();
        for (int n = 0; n < perNode.size(); n++) {
            if (!perNode.get(n).isEmpty()) {
                Batch b = batches[leadLane[n]];
                b.addGroup(perNode.get(n), start);
                b.flushWithAllCheckpoints(end);
            }
        }
        writer.drain();
    }

    /** Sends what the lanes have buffered (call when the source is idle, to keep lag low). */
    public void flush() {
        for (Batch b : batches) {
            b.flush();
        }
        writer.flush();
    }

    /** Waits until the target has confirmed everything sent. */
    public void drain() {
        flush();
        writer.drain();
    }

    /** Removes the checkpoint keys (after a clean shutdown, when the file checkpoint is exact). */
    public void clearCheckpointKeys() {
        writer.clearCheckpoints();
    }

    public static byte[] checkpointKey(int lane) {
        return checkpointKey("", lane);
    }

    /** {@code __ferry_checkpoint:[partition:]lane}. */
    public static byte[] checkpointKey(String partition, int lane) {
        return Args.b(CHECKPOINT_KEY + (partition.isEmpty() ? "" : partition + ":") + lane);
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
        return readCheckpoints(target, lanes, syncId, "");
    }

    public static LaneCheckpoints readCheckpoints(io.ferry.resp.RedisConnection target, int lanes, String syncId, String partition) {
        target.call("SELECT", "0");
        return LaneCheckpoints.of(lanes, syncId, i -> {
            Reply r = target.call(Args.b("GET"), checkpointKey(partition, i));
            return r.isError() || r.isNull() ? null : r.asString();
        });
    }

    /** "syncId offset db": the lane is applied up to offset, where the stream had db selected. */
    private String checkpointValue(long offset) {
        return syncId + " " + offset + " " + dbAt(offset);
    }

    /** One lane's pending commands, and the start offsets of its unconfirmed batches. */
    private final class Batch {
        private final int lane;
        private final List<Cmd> cmds = new ArrayList<>();
        private volatile long firstStart = Long.MAX_VALUE;
        private long firstAdded; // value of StreamApplier.added when the pending commands began
        private long lastEnd;
        private final ConcurrentLinkedQueue<Long> unconfirmed = new ConcurrentLinkedQueue<>();

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

        void add(int targetDb, byte[][] argv, int unit, long start) {
            if (cmds.isEmpty()) {
                firstStart = start;
                firstAdded = added;
            }
            cmds.add(new Cmd(targetDb, argv, unit));
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

        /** Hands the pending commands to the writer, with the lane's checkpoint at {@code end}. */
        private void flushUpTo(long end, boolean allCheckpoints) {
            if (cmds.isEmpty()) {
                return;
            }
            unconfirmed.add(firstStart); // before the buffer forgets it, so the applied offset never overshoots
            List<Cmd> batch = new ArrayList<>(cmds);
            long ckpt = Math.max(end, 0); // the end of everything dispatched so far on this lane
            if (allCheckpoints) {
                writer.writeBarrier(lane, batch, ckpt, new Replies(batch.size()));
            } else {
                writer.write(lane, batch, ckpt, new Replies(batch.size()));
            }
            lastEnd = end;
            cmds.clear();
            firstStart = Long.MAX_VALUE;
        }

        /** What the target made of one batch of this lane (called on a reply thread). */
        private final class Replies implements BatchReplies {
            private final int commands;

            Replies(int commands) {
                this.commands = commands;
            }

            @Override
            public void rejected(byte[][] argv, String message) {
                var t = tolerated;
                if (t != null && message.startsWith(t.code() + " ")) {
                    t.then().accept(argv);
                    return;
                }
                commandError(message, CommandTable.name(argv));
            }

            @Override
            public void refused(String message) {
                fail(message);
            }

            /** Nothing of the batch ran (a command refused while queueing, OOM, READONLY, …). */
            @Override
            public void discarded(Reply.Error r, String firstRefused) {
                String why = firstRefused == null ? r.message() : firstRefused;
                if (onError == OnError.SKIP) {
                    skippedErrors.add(commands - 1);
                    skipped("the target discarded a batch of " + commands + " commands (" + r.code() + ", first refused " + why + ")");
                } else {
                    fail("the target discarded a batch of " + commands + " commands: it refused " + why);
                }
                done();
            }

            @Override
            public void done() {
                applied.add(commands);
                unconfirmed.poll();
                ackIfWanted();
            }

            @Override
            public void lost(Throwable cause) {
                // Applied or not is unknown until the checkpoints are read back: the applied offset
                // stays before this batch (it used to move past it, and a resume then skipped a
                // batch the target never ran).
                targetLost = true;
                fail("lost the target: " + cause.getMessage());
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
