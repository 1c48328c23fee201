package io.ferry.target;

import io.ferry.convert.ConflictPolicy;
import io.ferry.convert.Expect;
import io.ferry.convert.KeyCommands;
import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbReader;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends converted key commands to the key's lane and interprets each reply: counts written and
 * skipped keys, and records the first failure (a conflict under {@code fail}, or any error
 * reply) with a message naming the key, so the run can stop and report it.
 */
public final class KeyApplier implements KeyCommands {
    private final Target target;
    private final ConflictPolicy policy;
    private final ApplyStats stats;
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private volatile boolean targetLost;

    public KeyApplier(Target target, ConflictPolicy policy, ApplyStats stats) {
        this.target = target;
        this.policy = policy;
        this.stats = stats;
    }

    /** Whether a target connection broke (the failure is the lost link, not a refusal). */
    public boolean targetLost() {
        return targetLost;
    }

    /** The first failure seen, or null. */
    public String failure() {
        return firstFailure.get();
    }

    public void fail(String message) {
        firstFailure.compareAndSet(null, message);
    }

    @Override
    public void checkHealthy() {
        String f = firstFailure.get();
        if (f != null) {
            throw new ApplyFailedException(f);
        }
    }

    @Override
    public void send(int db, KeyHeader key, byte[][] argv, Expect expect) {
        requireDb(db, key.db);
        stats.commandsSent.increment();
        // The key's commands share one KeyState, so the key is counted once (written, skipped or
        // failed) however many of its commands fail.
        KeyState st = (KeyState) key.applyState;
        if (st == null) {
            st = new KeyState(key);
            key.applyState = st;
        }
        target.laneFor(key.key).send(db, argv, new Outcome(db, st, argv, expect));
    }

    /**
     * EXISTS on the key's lane (after what that lane already carries, so an earlier file's key of
     * the same name is seen), waited for: a name in use follows the conflict policy.
     */
    @Override
    public boolean claimAbsent(int db, KeyHeader key) {
        requireDb(db, key.db);
        stats.commandsSent.increment();
        java.util.concurrent.CompletableFuture<Reply> answer = new java.util.concurrent.CompletableFuture<>();
        Lane lane = target.laneFor(key.key);
        lane.send(db, new byte[][] {io.ferry.convert.Args.b("EXISTS"), key.key}, new ReplyCallback() {
            @Override
            public void onReply(Reply r) {
                answer.complete(r);
            }

            @Override
            public void onFailure(Throwable cause) {
                answer.completeExceptionally(cause);
            }
        });
        lane.flush();
        Reply r;
        try {
            r = answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyFailedException("interrupted while looking up key '" + RdbReader.printable(key.key) + "' on the target");
        } catch (java.util.concurrent.ExecutionException e) {
            targetLost = true;
            fail("lost the target while looking up key '" + RdbReader.printable(key.key) + "': " + e.getCause().getMessage());
            throw new ApplyFailedException(firstFailure.get());
        }
        if (r.isError()) {
            fail("the target rejected EXISTS for key '" + RdbReader.printable(key.key) + "' (db " + db + "): " + ((Reply.Error) r).message());
            throw new ApplyFailedException(firstFailure.get());
        }
        if (r.asLong() == 0) {
            return true;
        }
        if (policy == ConflictPolicy.SKIP) {
            stats.conflictsSkipped.increment();
            return false;
        }
        stats.keysFailed.increment();
        fail("key '" + RdbReader.printable(key.key) + "' (db " + db + ") already exists on the target (--on-conflict fail); "
                + "use --on-conflict replace to overwrite or skip to keep it");
        throw new ApplyFailedException(firstFailure.get());
    }

    /** Outcome of one key so far; touched only by its lane's reader thread. */
    private static final class KeyState {
        final KeyHeader header;
        /** Counted already: written, skipped or failed (a later cleanup step does not count it again). */
        boolean counted;

        KeyState(KeyHeader header) {
            this.header = header;
        }
    }

    /** A key is never written into a db the target lacks (it used to land in db 0). */
    private void requireDb(int db, int sourceDb) {
        if (db >= target.databases()) {
            target.requireDb(db, "source db " + sourceDb);
        }
    }

    @Override
    public void sendMany(int db, java.util.List<KeyHeader> keys, byte[][] argv) {
        if (target.nodes() > 1 && !oneNode(keys)) {
            splitByNode(db, keys, argv);
            return;
        }
        requireDb(db, keys.get(0).db);
        stats.commandsSent.increment();
        target.laneFor(keys.get(0).key).send(db, argv, new ReplyCallback() {
            @Override
            public void onReply(Reply r) {
                if (r.isError()) {
                    stats.keysFailed.add(keys.size());
                    fail("the target rejected MSET of " + keys.size() + " keys from '" + RdbReader.printable(keys.get(0).key) + "' (db " + db
                            + "): " + ((Reply.Error) r).message());
                } else {
                    stats.keysWritten.add(keys.size());
                }
            }

            @Override
            public void onFailure(Throwable cause) {
                targetLost = true;
                stats.keysFailed.add(keys.size());
                fail("lost the target while writing keys from '" + RdbReader.printable(keys.get(0).key) + "': " + cause.getMessage());
            }
        });
    }

    private boolean oneNode(java.util.List<KeyHeader> keys) {
        int node = target.nodeOfLane(target.laneIndex(keys.get(0).key));
        for (KeyHeader k : keys) {
            if (target.nodeOfLane(target.laneIndex(k.key)) != node) {
                return false;
            }
        }
        return true;
    }

    /** An MSET of keys on several nodes (twemproxy backends): one MSET per node, each with its keys and values in order. */
    private void splitByNode(int db, java.util.List<KeyHeader> keys, byte[][] argv) {
        java.util.Map<Integer, java.util.List<Integer>> byNode = new java.util.TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            byNode.computeIfAbsent(target.nodeOfLane(target.laneIndex(keys.get(i).key)), n -> new java.util.ArrayList<>()).add(i);
        }
        for (java.util.List<Integer> idx : byNode.values()) {
            byte[][] part = new byte[1 + 2 * idx.size()][];
            part[0] = argv[0];
            java.util.List<KeyHeader> partKeys = new java.util.ArrayList<>(idx.size());
            for (int j = 0; j < idx.size(); j++) {
                int i = idx.get(j);
                part[1 + 2 * j] = argv[1 + 2 * i];
                part[2 + 2 * j] = argv[2 + 2 * i];
                partKeys.add(keys.get(i));
            }
            sendMany(db, partKeys, part);
        }
    }

    @Override
    public void sendFunction(byte[][] argv) {
        if (target.nodes() > 1) {
            for (int n = 0; n < target.nodes(); n++) { // every node runs its own functions
                sendFunction(argv, firstLaneOf(n), n == 0);
            }
            return;
        }
        sendFunction(argv, 0, true);
    }

    private int firstLaneOf(int node) {
        for (int i = 0; i < target.lanes().size(); i++) {
            if (target.nodeOfLane(i) == node) {
                return i;
            }
        }
        throw new IllegalStateException("no lane writes to node " + node);
    }

    /** {@code counts}: this node's reply is the one the statistics count (a library loads once per target). */
    private void sendFunction(byte[][] argv, int lane, boolean counts) {
        stats.commandsSent.increment();
        byte[] code = argv[argv.length - 1];
        String firstLine = new String(code, 0, Math.min(code.length, 80), java.nio.charset.StandardCharsets.UTF_8).split("\n")[0];
        target.lanes().get(lane).send(-1, argv, new ReplyCallback() {
            @Override
            public void onReply(Reply r) {
                if (!r.isError()) {
                    if (counts) {
                        stats.functionsLoaded.increment();
                    }
                    return;
                }
                String msg = ((Reply.Error) r).message();
                // FUNCTION LOAD answers a plain ERR for a library that exists: ask the target, not the prose.
                boolean exists = target.hasFunctionLibrary(libraryName(code));
                if (exists && policy == ConflictPolicy.SKIP) {
                    if (counts) {
                        stats.conflictsSkipped.increment();
                    }
                } else if (exists) {
                    fail("function library '" + firstLine + "' already exists on the target (--on-conflict fail); use --on-conflict replace or skip");
                } else {
                    fail("the target rejected FUNCTION LOAD of '" + firstLine + "': " + msg);
                }
            }

            @Override
            public void onFailure(Throwable cause) {
                targetLost = true;
                fail("lost the target while loading a function library: " + cause.getMessage());
            }
        });
    }

    /** The library name of a function's code: its shebang line's {@code name=…}. */
    static String libraryName(byte[] code) {
        String first = new String(code, 0, Math.min(code.length, 256), java.nio.charset.StandardCharsets.UTF_8).split("\n", 2)[0];
        for (String part : first.split("\\s+")) {
            if (part.startsWith("name=")) {
                return part.substring(5);
            }
        }
        return "";
    }

    private final class Outcome implements ReplyCallback {
        private final int db;
        private final KeyState state;
        private final KeyHeader key;
        private final byte[] verb; // argv[0]; turned into text only for messages
        private final Expect expect;

        Outcome(int db, KeyState state, byte[][] argv, Expect expect) {
            this.db = db;
            this.state = state;
            this.key = state.header;
            this.verb = argv[0];
            this.expect = expect;
        }

        private String command() {
            return new String(verb, java.nio.charset.StandardCharsets.US_ASCII);
        }

        /** The key as messages name it; built only when a message needs it (not per reply). */
        private String name() {
            return "'" + RdbReader.printable(key.key) + "' (db " + db + ")";
        }

        @Override
        public void onReply(Reply r) {
            if (r.isError()) {
                String msg = ((Reply.Error) r).message();
                String command = command();
                if (expect == Expect.DONE_UNLESS_BUSY && msg.startsWith("BUSYKEY")) {
                    conflict();
                    return;
                }
                // The temp key's TTL ran out before its RENAME (a plain ERR: judged by the clock, not the prose).
                if ((expect == Expect.DONE || expect == Expect.DONE_UNLESS_RENAME_REFUSED) && command.startsWith("RENAME")
                        && key.expireAtMs != KeyHeader.NO_EXPIRE && key.expireAtMs <= System.currentTimeMillis()) {
                    if (!state.counted) {
                        state.counted = true;
                        stats.expiredInFlight.increment(); // its TTL ran out while it was being written
                    }
                    return;
                }
                keyFailed();
                fail("the target rejected " + command + " for key " + name() + ": " + msg);
                return;
            }
            switch (expect) {
                case DONE:
                case DONE_UNLESS_BUSY:
                    written();
                    break;
                case DONE_UNLESS_NIL:
                    if (r.isNull()) {
                        conflict();
                    } else {
                        written();
                    }
                    break;
                case DONE_UNLESS_RENAME_REFUSED:
                    if (r.asLong() == 0) {
                        conflict();
                    } else {
                        written();
                    }
                    break;
                default:
                    break;
            }
        }

        @Override
        public void onFailure(Throwable cause) {
            targetLost = true;
            keyFailed();
            fail("lost the target while writing key '" + RdbReader.printable(key.key) + "': " + cause.getMessage());
        }

        /** A key whose earlier command failed is not counted as written even if its last one succeeds. */
        private void written() {
            if (!state.counted) {
                state.counted = true;
                stats.keysWritten.increment();
            }
        }

        private void keyFailed() {
            if (!state.counted) {
                state.counted = true;
                stats.keysFailed.increment();
            }
        }

        private void conflict() {
            if (policy == ConflictPolicy.SKIP) {
                if (!state.counted) {
                    state.counted = true;
                    stats.conflictsSkipped.increment();
                }
            } else {
                keyFailed();
                fail("key " + name() + " already exists on the target (--on-conflict fail); use --on-conflict replace to overwrite or skip to keep it");
            }
        }
    }
}
