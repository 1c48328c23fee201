package io.ferry.target.cluster;

import io.ferry.convert.Args;
import io.ferry.resp.PipelinedConnection;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import io.ferry.route.CommandTable;
import io.ferry.route.SlotMap;
import io.ferry.route.Slots;
import io.ferry.target.Lane;
import io.ferry.target.RedisLane;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One lane into a cluster: a pipelined connection per master, opened when first needed. A command
 * goes to the master of its key's slot; one without a key (FUNCTION LOAD, FLUSHALL) to every
 * master. A redirection is followed: {@code MOVED} refreshes the slot map and resends,
 * {@code ASK} resends once to the importing node behind {@code ASKING}, {@code TRYAGAIN} and
 * {@code CLUSTERDOWN} back off and resend. The replies only queue the redirections; the lane's own
 * thread resends them (a reply thread must not send), in the order they came back.
 */
final class ClusterLane implements Lane {
    private static final int MAX_HOPS = 32;
    private static final byte[][] ASKING = {Args.b("ASKING")};

    private final ClusterTarget target;
    private final int index;
    private final Map<String, RedisLane> nodes = new HashMap<>(); // the lane's thread only
    private final ConcurrentLinkedQueue<Redirect> redirects = new ConcurrentLinkedQueue<>();

    ClusterLane(ClusterTarget target, int index) {
        this.target = target;
        this.index = index;
    }

    int index() {
        return index;
    }

    /** The lane's connection to {@code node}. */
    synchronized RedisLane node(String node) {
        return nodes.computeIfAbsent(node, n -> new RedisLane(
                new PipelinedConnection(target.connect(n), target.windowCommands(), target.windowBytes()), 0, target::laneFailed));
    }

    /** The key a command is routed by, or null for one that goes to every master. */
    static byte[] keyOf(byte[][] argv) {
        if (argv.length < 2) {
            return null;
        }
        CommandTable.Command c = CommandTable.lookup(argv[0]);
        return switch (c.name()) {
            case "FUNCTION", "SCRIPT", "FLUSHALL", "FLUSHDB", "PING", "SWAPDB", "SELECT" -> null;
            default -> c.kind() == CommandTable.Kind.SUBCOMMAND_KEY ? (argv.length > 2 ? argv[2] : null) : argv[1];
        };
    }

    @Override
    public synchronized boolean send(int targetDb, byte[][] argv, ReplyCallback cb) {
        resendRedirected();
        byte[] key = keyOf(argv);
        if (key == null) {
            broadcast(targetDb, argv, cb);
        } else {
            String owner = target.map().ownerOf(Slots.of(key));
            node(owner).send(targetDb, argv, new Following(targetDb, argv, cb, 0));
        }
        return false; // db 0 only: no SELECT is ever put in
    }

    /** Sends to every master; {@code cb} hears the first error, else the last reply. */
    private void broadcast(int targetDb, byte[][] argv, ReplyCallback cb) {
        List<String> masters = target.map().masters();
        AtomicInteger left = new AtomicInteger(masters.size());
        Reply[] first = new Reply[1];
        for (String m : masters) {
            node(m).send(targetDb, argv, new ReplyCallback() {
                @Override
                public void onReply(Reply r) {
                    synchronized (first) {
                        if (first[0] == null || r.isError() && !first[0].isError()) {
                            first[0] = r;
                        }
                    }
                    if (left.decrementAndGet() == 0) {
                        cb.onReply(first[0]);
                    }
                }

                @Override
                public void onFailure(Throwable cause) {
                    if (left.getAndSet(-1) > 0) {
                        cb.onFailure(cause);
                    }
                }
            });
        }
    }

    /** Resends what came back redirected, in order; MOVED and CLUSTERDOWN read the slot map again first. */
    synchronized void resendRedirected() {
        if (redirects.isEmpty()) {
            return;
        }
        boolean refreshed = false;
        Redirect r;
        while ((r = redirects.poll()) != null) {
            target.redirected();
            String code = r.error.code();
            if (!refreshed && !code.equals("ASK")) {
                target.refresh();
                refreshed = true;
            }
            if (code.equals("TRYAGAIN") || code.equals("CLUSTERDOWN")) {
                backoff(r.hops);
            }
            Following again = new Following(r.db, r.argv, r.cb, r.hops + 1);
            if (code.equals("ASK")) {
                RedisLane to = node(address(r.error));
                to.send(r.db, ASKING, x -> {});
                to.send(r.db, r.argv, again);
            } else {
                String to = code.equals("MOVED") ? address(r.error) : target.map().ownerOf(Slots.of(keyOf(r.argv)));
                node(to).send(r.db, r.argv, again);
            }
        }
    }

    static void backoff(int hops) {
        try {
            Thread.sleep(Math.min(1000, 20L << Math.min(hops, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The node named by {@code MOVED slot host:port} / {@code ASK slot host:port}. */
    static String address(Reply.Error e) {
        String[] w = e.message().split(" ");
        return w[w.length - 1];
    }

    /** Whether a reply is a redirection or a retryable refusal of the cluster. */
    static boolean redirectable(Reply r) {
        if (!r.isError()) {
            return false;
        }
        String code = ((Reply.Error) r).code();
        return code.equals("MOVED") || code.equals("ASK") || code.equals("TRYAGAIN") || code.equals("CLUSTERDOWN");
    }

    private record Redirect(int db, byte[][] argv, ReplyCallback cb, int hops, Reply.Error error) {}

    /** Hands a reply on, unless it is a redirection to follow. */
    private final class Following implements ReplyCallback {
        private final int db;
        private final byte[][] argv;
        private final ReplyCallback cb;
        private final int hops;

        Following(int db, byte[][] argv, ReplyCallback cb, int hops) {
            this.db = db;
            this.argv = argv;
            this.cb = cb;
            this.hops = hops;
        }

        @Override
        public void onReply(Reply r) {
            if (redirectable(r) && hops < MAX_HOPS) {
                redirects.add(new Redirect(db, argv, cb, hops, (Reply.Error) r));
            } else {
                cb.onReply(r);
            }
        }

        @Override
        public void onFailure(Throwable cause) {
            cb.onFailure(cause);
        }
    }

    @Override
    public synchronized void forgetDb() {
        for (RedisLane l : nodes.values()) {
            l.forgetDb();
        }
    }

    @Override
    public synchronized void flush() {
        resendRedirected();
        for (RedisLane l : nodes.values()) {
            l.flush();
        }
    }

    /** Waits for every reply, resends of redirections included. */
    @Override
    public synchronized void drain() {
        while (true) {
            for (RedisLane l : new ArrayList<>(nodes.values())) {
                l.drain();
            }
            if (redirects.isEmpty()) {
                return;
            }
            resendRedirected();
        }
    }

    /** Waits for every reply on the lane's connections (no resending). */
    synchronized void drainNodes() {
        for (RedisLane l : new ArrayList<>(nodes.values())) {
            l.drain();
        }
    }

    synchronized void flushNodes() {
        for (RedisLane l : nodes.values()) {
            l.flush();
        }
    }

    @Override
    public void close() {
        for (RedisLane l : nodes.values()) {
            l.close();
        }
    }
}
