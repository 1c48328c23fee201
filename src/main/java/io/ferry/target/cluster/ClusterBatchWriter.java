package io.ferry.target.cluster;

import io.ferry.convert.Args;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import io.ferry.route.CommandTable;
import io.ferry.route.SlotMap;
import io.ferry.route.Slots;
import io.ferry.target.BatchReplies;
import io.ferry.target.BatchWriter;
import io.ferry.target.Cmd;
import io.ferry.target.RedisLane;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint strategy of a cluster. A transaction there may touch one slot only, so the
 * checkpoint is kept per slot, in a key of that slot, and written together with the slot's part of
 * each batch. A lane's batch goes to each master as one script ({@code apply-batch.lua}) that, per
 * slot, checks the slot's checkpoint is the one this writer wrote last (so a part whose
 * predecessor was refused is refused too, and a part already applied is not applied again), runs
 * the part and sets the new checkpoint. The script first touches a never-existing key of every
 * slot it will write: a slot that moved or is being migrated refuses that touch before any write,
 * because a script is not rolled back when a call fails half-way.
 *
 * <p>Whatever comes back refused is written again by the lane's thread, in order, after every
 * reply of the lane is in: to the slot's new master after a MOVED, and, for a slot being
 * migrated, as a MULTI/EXEC with the checkpoint SET (whose keys the cluster checks all together,
 * answering ASK or TRYAGAIN until one node holds them all; ASKING stays set for a whole MULTI).
 */
final class ClusterBatchWriter implements BatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBatchWriter.class);
    static final String SCRIPT = script();
    private static final byte[] SCRIPT_BYTES = SCRIPT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] SHA = Args.b(sha1(SCRIPT_BYTES));
    private static final int MAX_SCRIPT_ARGS = 1000; // Lua's unpack has a stack limit: bigger commands go by MULTI
    private static final long MAX_SCRIPT_BYTES = 1 << 20;
    // What one script may carry: a script blocks its master while it runs (about 5 us a command).
    private static final int SCRIPT_COMMANDS = 2048;
    private static final long SCRIPT_BYTES_CAP = 8L << 20;
    private static final byte[][] SMALL = new byte[SCRIPT_COMMANDS + 1][];
    private static final int MAX_ATTEMPTS = 600;

    private final ClusterTarget target;
    private final String syncId;
    private final SlotCheckpoints checkpoints;
    private final LongFunction<String> value;
    private final long[] expected = new long[Slots.COUNT]; // the checkpoint offset last written per slot (MIN_VALUE: none of this sync)
    private final long resumedMax; // the furthest checkpoint on the target when the stream resumed
    private final List<ClusterLane> lanes;
    private final LaneState[] states;
    private final byte[] syncIdBytes;
    private final java.util.HashMap<Long, byte[]> prevPrefixes = new java.util.HashMap<>(); // "syncId offset " per offset still expected
    private long lastValueOffset = Long.MIN_VALUE;
    private byte[] lastValue;

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = Args.b(i);
        }
    }

    ClusterBatchWriter(ClusterTarget target, String syncId, SlotCheckpoints checkpoints, LongFunction<String> value, long[] applied) {
        this.target = target;
        this.syncId = syncId;
        this.checkpoints = checkpoints;
        this.value = value;
        this.syncIdBytes = Args.b(syncId);
        this.lanes = target.clusterLanes();
        this.states = new LaneState[lanes.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new LaneState(lanes.get(i));
        }
        long max = Long.MIN_VALUE;
        for (int s = 0; s < Slots.COUNT; s++) {
            expected[s] = applied == null ? Long.MIN_VALUE : applied[s];
            max = Math.max(max, expected[s]);
        }
        this.resumedMax = max;
    }

    @Override
    public int units() {
        return Slots.COUNT;
    }

    @Override
    public int unitOf(byte[] key, int lane) {
        return Slots.of(key);
    }

    /** Decided per part in {@link #writeBarrier}: a slot's part by its checkpoint. */
    @Override
    public boolean barrierApplied(long end) {
        return false;
    }

    /** A transaction on a cluster may touch one slot only: a source block is split per slot. */
    @Override
    public boolean splitsBlocks() {
        return true;
    }

    @Override
    public void write(int lane, List<Cmd> cmds, long checkpoint, BatchReplies replies) {
        LaneState st = states[lane];
        settle(st);
        Pending p = new Pending(replies);
        boolean viaMulti = false;
        Group[] bySlot = st.bySlot;
        for (Cmd c : cmds) {
            int slot = c.unit() >= 0 ? c.unit() : Slots.of(ClusterLane.keyOf(c.argv()));
            Group g = bySlot[slot];
            if (g == null) {
                g = new Group(slot, expected[slot], checkpoint);
                bySlot[slot] = g;
                p.groups.add(g);
            }
            g.cmds.add(c);
            long bytes = bytesOf(c.argv());
            g.bytes += bytes;
            if (!scriptable(c.argv(), bytes)) {
                g.viaMulti = true;
                viaMulti = true;
            }
        }
        for (Group g : p.groups) {
            bySlot[g.slot] = null;
            expected[g.slot] = checkpoint;
        }
        synchronized (st) {
            st.inflight.add(p);
        }
        if (viaMulti) {
            // Rare (a script or a huge command in the stream): this batch alone, after all before it.
            st.lane.drainNodes();
            st.retry = true;
            settle(st);
            return;
        }
        // Per master, its groups in scripts of bounded size: a group (one slot's part) is never cut.
        Map<String, List<List<Group>>> byNode = new LinkedHashMap<>();
        Map<String, long[]> fill = new java.util.HashMap<>(); // per master: commands, bytes of its last script
        SlotMap map = target.map();
        int parts = 0;
        for (Group g : p.groups) {
            String node = map.ownerOf(g.slot);
            List<List<Group>> scripts = byNode.computeIfAbsent(node, n -> new ArrayList<>());
            long[] f = fill.computeIfAbsent(node, n -> new long[2]);
            long bytes = g.bytes;
            if (scripts.isEmpty() || f[0] + g.cmds.size() > SCRIPT_COMMANDS || f[1] + bytes > SCRIPT_BYTES_CAP) {
                scripts.add(new ArrayList<>());
                f[0] = 0;
                f[1] = 0;
                parts++;
            }
            scripts.get(scripts.size() - 1).add(g);
            f[0] += g.cmds.size();
            f[1] += bytes;
        }
        p.expect(parts);
        for (Map.Entry<String, List<List<Group>>> e : byNode.entrySet()) {
            for (List<Group> script : e.getValue()) {
                sendScript(st, e.getKey(), script, p);
            }
        }
    }

    private static long bytesOf(byte[][] argv) {
        long bytes = 0;
        for (byte[] a : argv) {
            bytes += a.length;
        }
        return bytes;
    }

    /** Whether a command of {@code bytes} in all can run inside the batch script. */
    private static boolean scriptable(byte[][] argv, long bytes) {
        if (argv.length > MAX_SCRIPT_ARGS) {
            return false;
        }
        if (bytes > MAX_SCRIPT_BYTES) {
            return false;
        }
        return switch (CommandTable.name(argv)) {
            case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "SCRIPT", "FUNCTION", "MULTI", "EXEC" -> false;
            default -> true;
        };
    }

    private static final byte[] EVALSHA = Args.b("EVALSHA");
    private static final byte[] EVAL = Args.b("EVAL");
    private static final byte[] EMPTY = new byte[0];

    /** The script's call for {@code groups}, built straight into one array: this runs for every batch. */
    private byte[][] scriptArgs(byte[] scriptOrSha, boolean sha, List<Group> groups) {
        int n = 5;
        for (Group g : groups) {
            n += 5;
            for (Cmd c : g.cmds) {
                n += 1 + c.argv().length;
            }
        }
        byte[][] a = new byte[n][];
        a[0] = sha ? EVALSHA : EVAL;
        a[1] = scriptOrSha;
        a[2] = SMALL[0];
        a[3] = syncIdBytes;
        a[4] = small(groups.size());
        int i = 5;
        for (Group g : groups) {
            a[i++] = checkpoints.key(g.slot);
            a[i++] = SlotCheckpoints.probe(g.slot);
            a[i++] = prevPrefix(g.prev);
            a[i++] = valueBytes(g.next);
            a[i++] = small(g.cmds.size());
            for (Cmd c : g.cmds) {
                byte[][] argv = c.argv();
                a[i++] = small(argv.length);
                System.arraycopy(argv, 0, a, i, argv.length);
                i += argv.length;
            }
        }
        return a;
    }

    private static byte[] small(int v) {
        return v < SMALL.length ? SMALL[v] : Args.b(v);
    }

    /** What a slot's checkpoint must begin with to be {@code prev} of this sync ("" for none). */
    private byte[] prevPrefix(long prev) {
        if (prev == Long.MIN_VALUE) {
            return EMPTY;
        }
        synchronized (prevPrefixes) { // the lanes' threads share it
            if (prevPrefixes.size() > 65_536) {
                prevPrefixes.clear();
            }
            return prevPrefixes.computeIfAbsent(prev, o -> Args.b(syncId + " " + o + " "));
        }
    }

    /** The checkpoint value for {@code offset}; a batch's groups all ask for the same one. */
    private synchronized byte[] valueBytes(long offset) {
        if (offset != lastValueOffset || lastValue == null) {
            lastValue = Args.b(value.apply(offset));
            lastValueOffset = offset;
        }
        return lastValue;
    }

    private void sendScript(LaneState st, String node, List<Group> groups, Pending p) {
        RedisLane l = st.lane.node(node);
        if (st.loaded.add(node)) {
            l.send(0, new byte[][] {Args.b("SCRIPT"), Args.b("LOAD"), SCRIPT_BYTES}, r -> {});
        }
        l.send(0, scriptArgs(SHA, true, groups), new ReplyCallback() {
            @Override
            public void onReply(Reply r) {
                if (r.isError()) {
                    if (((Reply.Error) r).code().equals("NOSCRIPT")) {
                        st.loaded.remove(node); // a failover's new master, or SCRIPT FLUSH: load it again
                    }
                    st.retry = true;
                } else if (!record(groups, r)) {
                    st.retry = true;
                }
                if (p.partReturned()) {
                    deliver(st);
                }
            }

            @Override
            public void onFailure(Throwable cause) {
                p.lost(cause);
            }
        });
    }

    /** Notes what the script did per group; false when a group is still to be written. */
    private static boolean record(List<Group> groups, Reply r) {
        List<Reply> out = r.asList();
        String status = out.get(0).asString();
        List<Reply> errs = out.get(1).asList();
        for (int i = 0; i + 2 < errs.size(); i += 3) {
            Group g = groups.get((int) errs.get(i).asLong() - 1);
            g.errors.add(new Rejected(g.cmds.get((int) errs.get(i + 1).asLong() - 1).argv(), errs.get(i + 2).asString()));
        }
        boolean all = true;
        for (int i = 0; i < groups.size(); i++) {
            char c = status.charAt(i);
            Group g = groups.get(i);
            if (c == '1' || c == '2') {
                g.applied = true;
            } else {
                g.errors.clear(); // not run: no error of it counts
                g.unstable |= c == 'M';
                all = false;
            }
        }
        return all;
    }

    /** Reports, in order, every batch of the lane that is wholly on the target. */
    private static void deliver(LaneState st) {
        synchronized (st) {
            while (!st.inflight.isEmpty()) {
                Pending head = st.inflight.peek();
                if (head.lost != null || !head.returned() || !head.allApplied()) {
                    return;
                }
                st.inflight.poll();
                for (Group g : head.groups) {
                    for (Rejected x : g.errors) {
                        head.replies.rejected(x.argv, x.message);
                    }
                }
                head.replies.done();
            }
        }
    }

    /**
     * Writes again what the lane's batches left unapplied, in order, once every reply of the lane
     * is in: the order of a slot's parts holds, because a part after a refused one is refused too.
     */
    private void settle(LaneState st) {
        if (!st.retry) {
            return;
        }
        st.lane.drainNodes();
        st.retry = false;
        target.refresh();
        List<Pending> todo;
        synchronized (st) {
            todo = new ArrayList<>(st.inflight);
        }
        for (Pending p : todo) {
            if (p.lost != null || p.refused) {
                return;
            }
            for (Group g : p.groups) {
                if (!g.applied) {
                    Failure f = writeOne(st, g);
                    if (f != null) {
                        f.report(p);
                        return;
                    }
                }
            }
            p.expect(0);
            deliver(st);
        }
    }

    /**
     * Writes one slot's part and waits for it: the script on the slot's master, or a MULTI/EXEC
     * (following ASK and TRYAGAIN) for a slot being migrated. Returns why the run cannot go on, or null.
     */
    private Failure writeOne(LaneState st, Group g) {
        String asking = null;
        Reply last = null;
        target.redirected();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (attempt > 0 && asking == null) {
                ClusterLane.backoff(Math.min(attempt, 4));
                target.refresh();
            }
            String node = asking != null ? asking : target.map().ownerOf(g.slot);
            RedisLane l = st.lane.node(node);
            if (!g.viaMulti && !g.unstable) {
                Reply[] got = new Reply[1];
                l.send(0, scriptArgs(SCRIPT_BYTES, false, List.of(g)), r -> got[0] = r);
                l.drain();
                last = got[0];
                if (last.isError()) {
                    if (attempt >= 4 && !transientError(((Reply.Error) last).code())) {
                        return new Failure("the target refused the writes of slot " + g.slot + ": " + ((Reply.Error) last).message(), false);
                    }
                    continue;
                }
                record(List.of(g), last);
                if (g.applied) {
                    return null;
                }
                if (!g.unstable) {
                    LOG.warn("the checkpoint of slot {} on the target is not the one Ferry wrote last (evicted? flushed by someone else?): "
                            + "reading the checkpoints again; writes of that slot since the last checkpoint file may be applied twice", g.slot);
                    return new Failure("the checkpoint of slot " + g.slot + " changed under Ferry", true);
                }
                continue;
            }
            List<Reply> queued = new ArrayList<>();
            Reply[] exec = new Reply[1];
            if (asking != null) {
                l.send(0, new byte[][] {Args.b("ASKING")}, r -> {});
            }
            l.send(0, new byte[][] {Args.b("MULTI")}, r -> {});
            for (Cmd c : g.cmds) {
                l.send(0, c.argv(), queued::add);
            }
            l.send(0, new byte[][] {Args.b("SET"), checkpoints.key(g.slot), Args.b(value.apply(g.next))}, queued::add);
            l.send(0, new byte[][] {Args.b("EXEC")}, r -> exec[0] = r);
            l.drain();
            last = exec[0];
            if (!last.isError()) {
                List<Reply> results = last.asList();
                for (int i = 0; i < results.size(); i++) {
                    if (results.get(i).isError()) {
                        if (i >= g.cmds.size()) {
                            return new Failure("the target refused to record the checkpoint of slot " + g.slot + ": "
                                    + ((Reply.Error) results.get(i)).message(), false);
                        }
                        g.errors.add(new Rejected(g.cmds.get(i).argv(), ((Reply.Error) results.get(i)).message()));
                    }
                }
                g.applied = true;
                return null;
            }
            Reply.Error why = (Reply.Error) last;
            for (Reply q : queued) {
                if (ClusterLane.redirectable(q)) {
                    why = (Reply.Error) q;
                    break;
                }
            }
            if (!ClusterLane.redirectable(why)) {
                for (Reply q : queued) {
                    if (q.isError()) {
                        why = (Reply.Error) q; // what made EXEC abort
                        break;
                    }
                }
                if (attempt >= 4) {
                    return new Failure("the target refused the writes of slot " + g.slot + ": " + why.message(), false);
                }
            }
            asking = why.code().equals("ASK") ? ClusterLane.address(why) : null;
        }
        return new Failure("the target cluster kept refusing the writes of slot " + g.slot + " (" + (last == null ? "?" : ((Reply.Error) last).message())
                + ")", false);
    }

    /** A refusal that passes with time: a failover, a node loading, a script running long. */
    private static boolean transientError(String code) {
        return switch (code) {
            case "CLUSTERDOWN", "TRYAGAIN", "LOADING", "BUSY", "MASTERDOWN", "READONLY", "MOVED", "ASK" -> true;
            default -> false;
        };
    }

    /** Why a part could not be written: the run stops, or ({@code reread}) reads the checkpoints again. */
    private record Failure(String message, boolean reread) {
        void report(Pending p) {
            if (reread) {
                p.lost(new IllegalStateException(message));
            } else {
                p.refused = true;
                p.replies.refused(message);
            }
        }

        void report(BatchReplies replies) {
            if (reread) {
                replies.lost(new IllegalStateException(message));
            } else {
                replies.refused(message);
            }
        }
    }

    @Override
    public void writeBarrier(int lane, List<Cmd> cmds, long checkpoint, BatchReplies replies) {
        LaneState st = states[0];
        LinkedHashMap<Integer, Group> run = new LinkedHashMap<>();
        for (Cmd c : cmds) {
            byte[][] keys = keysOf(c.argv());
            if (keys == null) {
                if (!writeRun(st, run, replies)) {
                    return;
                }
                if (resumedMax < checkpoint) {
                    broadcast(st, c.argv(), replies);
                }
                continue;
            }
            int slot = Slots.of(keys[0]);
            boolean oneSlot = true;
            for (byte[] k : keys) {
                oneSlot &= Slots.of(k) == slot;
            }
            if (!oneSlot) {
                replies.rejected(c.argv(), "CROSSSLOT its keys are in different slots, which one command on a cluster cannot write");
                continue;
            }
            if (expected[slot] >= checkpoint && !run.containsKey(slot)) {
                continue; // applied before the restart
            }
            Group g = run.computeIfAbsent(slot, s -> new Group(s, expected[s], checkpoint));
            g.viaMulti = true;
            g.cmds.add(c);
        }
        if (writeRun(st, run, replies)) {
            replies.done();
        }
    }

    /** Writes the parts collected for a barrier, one slot at a time. */
    private boolean writeRun(LaneState st, Map<Integer, Group> run, BatchReplies replies) {
        for (Group g : run.values()) {
            Failure f = writeOne(st, g);
            if (f != null) {
                f.report(replies);
                return false;
            }
            expected[g.slot] = g.next;
            for (Rejected x : g.errors) {
                replies.rejected(x.argv, x.message);
            }
        }
        run.clear();
        return true;
    }

    /** A command without a key on every master, waiting for each. */
    private void broadcast(LaneState st, byte[][] argv, BatchReplies replies) {
        for (String m : target.map().masters()) {
            RedisLane l = st.lane.node(m);
            Reply[] got = new Reply[1];
            l.send(0, argv, r -> got[0] = r);
            l.drain();
            if (got[0].isError()) {
                replies.rejected(argv, ((Reply.Error) got[0]).message());
            }
        }
        String name = CommandTable.name(argv);
        if (name.equals("FLUSHALL") || name.equals("FLUSHDB")) {
            Arrays.fill(expected, Long.MIN_VALUE); // the checkpoint keys went with everything else
        }
    }

    /** The keys of a command (null: none), from the command table or else from the target. */
    private byte[][] keysOf(byte[][] argv) {
        CommandTable.Kind k = CommandTable.lookup(argv[0]).kind();
        if (k == CommandTable.Kind.SINGLE_KEY || k == CommandTable.Kind.SPLIT_KEYS && argv.length == 2) {
            return argv.length > 1 ? new byte[][] {argv[1]} : null;
        }
        List<byte[]> known = io.ferry.route.CommandKeys.of(argv);
        if (known != null) {
            return known.isEmpty() ? null : known.toArray(new byte[0][]);
        }
        if (ClusterLane.keyOf(argv) == null) {
            return null;
        }
        RedisConnection probe = target.probe(); // a command Ferry does not know: the target tells its keys
        Reply r;
        synchronized (probe) {
            byte[][] ask = new byte[argv.length + 2][];
            ask[0] = Args.b("COMMAND");
            ask[1] = Args.b("GETKEYS");
            System.arraycopy(argv, 0, ask, 2, argv.length);
            r = probe.call(ask);
        }
        if (r.isError() || r.asList().isEmpty()) {
            return null;
        }
        List<Reply> l = r.asList();
        byte[][] keys = new byte[l.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = l.get(i).asBytes();
        }
        return keys;
    }

    @Override
    public void flush(int lane) {
        settle(states[lane]);
        lanes.get(lane).flushNodes();
    }

    @Override
    public void flush() {
        for (int i = 0; i < lanes.size(); i++) {
            flush(i);
        }
    }

    @Override
    public void drain() {
        for (LaneState st : states) {
            do {
                st.lane.drainNodes();
                settle(st);
            } while (st.retry);
        }
    }

    @Override
    public void clearCheckpoints() {
        for (String m : target.map().masters()) {
            try (RedisConnection c = target.connect(m)) {
                for (byte[] key : checkpoints.keysOn(c)) {
                    c.call(new byte[][] {Args.b("DEL"), key});
                }
            }
        }
    }

    private record Rejected(byte[][] argv, String message) {}

    /** One slot's part of a batch: applied when the checkpoint says {@code prev} (MIN_VALUE: none), then says {@code next}. */
    private static final class Group {
        final int slot;
        final long prev;
        final long next;
        final List<Cmd> cmds = new ArrayList<>();
        final List<Rejected> errors = new ArrayList<>();
        volatile boolean applied;
        boolean viaMulti; // not scriptable: MULTI/EXEC, after everything before it
        long bytes; // of its commands' arguments
        volatile boolean unstable; // the slot refused the probe: it moved or is migrating

        Group(int slot, long prev, long next) {
            this.slot = slot;
            this.prev = prev;
            this.next = next;
        }
    }

    /** One batch of a lane, in its parts per master. */
    private static final class Pending {
        final BatchReplies replies;
        final List<Group> groups = new ArrayList<>();
        private int partsLeft; // parts sent whose reply is not in (reply threads of several masters: guarded by this)
        volatile Throwable lost;
        volatile boolean refused;

        Pending(BatchReplies replies) {
            this.replies = replies;
        }

        /** Set before the parts are sent. */
        synchronized void expect(int parts) {
            partsLeft = parts;
        }

        /** Counts a returned part; true for the last one. */
        synchronized boolean partReturned() {
            return --partsLeft == 0;
        }

        synchronized boolean returned() {
            return partsLeft <= 0;
        }

        boolean allApplied() {
            for (Group g : groups) {
                if (!g.applied) {
                    return false;
                }
            }
            return true;
        }

        synchronized void lost(Throwable cause) {
            if (lost == null) {
                lost = cause;
                replies.lost(cause);
            }
        }
    }

    private static final class LaneState {
        final ClusterLane lane;
        final ArrayDeque<Pending> inflight = new ArrayDeque<>();
        final Group[] bySlot = new Group[Slots.COUNT]; // write()'s scratch: the group of each slot of the batch at hand
        final Set<String> loaded = java.util.concurrent.ConcurrentHashMap.newKeySet(); // nodes this lane's connection loaded the script on
        volatile boolean retry;

        LaneState(ClusterLane lane) {
            this.lane = lane;
        }
    }

    private static String script() {
        try (var in = ClusterBatchWriter.class.getResourceAsStream("apply-batch.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("apply-batch.lua is missing from the build", e);
        }
    }

    private static String sha1(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
