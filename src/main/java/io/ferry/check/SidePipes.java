package io.ferry.check;

import io.ferry.cli.UserError;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.resp.RespWriter;
import io.ferry.resp.TlsOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Pipelined batches of commands to one side of the check, each routed by its key to the node that serves it: queue
 * with {@link #add}, then {@link #run} writes every node's batch at once (both sides before reading either, so the
 * servers work in parallel) and reads the replies. Databases are selected on demand. Connections open on first use.
 * Not thread-safe: each worker has its own.
 */
final class SidePipes implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

    private final String side;
    private final Topology topology;
    private final TlsOptions tls;
    private final RateLimiter limiter;
    private final Node[] nodes;
    private int db;
    private int[] seqNode = new int[512];
    private int[] seqIndex = new int[512];
    private int count;
    private boolean ran;

    /** {@code side} names it in messages ("source", "target"); {@code limiter} bounds its commands/s, or null. */
    SidePipes(String side, Topology topology, TlsOptions tls, RateLimiter limiter) {
        this.side = side;
        this.topology = topology;
        this.tls = tls;
        this.limiter = limiter;
        this.nodes = new Node[topology.lookupNodes().size()];
    }

    String side() {
        return side;
    }

    /** The database of the commands queued next. */
    void db(int db) {
        this.db = db;
    }

    /** Queues a command about {@code key}; returns the handle of its reply, valid after the next {@link #run}. */
    int add(byte[] key, byte[]... argv) {
        if (ran) {
            reset();
        }
        int physicalDb = db;
        io.ferry.filter.DbMap names = topology.names();
        if (names.prefixes()) {
            // The caller names the source's (db, key); the key argument (the same array) takes the target's name.
            byte[] named = names.targetKey(db, key);
            if (named != key) {
                argv = argv.clone();
                for (int i = 1; i < argv.length; i++) {
                    if (argv[i] == key) {
                        argv[i] = named;
                    }
                }
                key = named;
            }
            physicalDb = names.applyAsInt(db);
        }
        int n = topology.route(key);
        Node node = node(n);
        int local = node.add(physicalDb, argv);
        if (count == seqNode.length) {
            seqNode = Arrays.copyOf(seqNode, count * 2);
            seqIndex = Arrays.copyOf(seqIndex, count * 2);
        }
        seqNode[count] = n;
        seqIndex[count] = local;
        return count++;
    }

    /** Commands queued and not yet run. */
    int queued() {
        return ran ? 0 : count;
    }

    Reply reply(int handle) {
        return nodes[seqNode[handle]].replies[seqIndex[handle]];
    }

    /** Sends what each side queued, all sides before reading any, and reads every reply. Null sides are skipped. */
    static void run(SidePipes... sides) {
        for (SidePipes s : sides) {
            if (s != null && s.queued() > 0) {
                s.write();
            }
        }
        for (SidePipes s : sides) {
            if (s != null && s.queued() > 0) {
                s.readAll();
            }
        }
    }

    private void write() {
        if (limiter != null) {
            int commands = 0;
            for (Node node : nodes) {
                commands += node == null ? 0 : node.queued;
            }
            limiter.acquire(commands);
        }
        for (Node node : nodes) {
            if (node != null && node.queued > 0) {
                node.conn.write(node.writer);
            }
        }
    }

    private void readAll() {
        for (Node node : nodes) {
            if (node != null && node.queued > 0) {
                node.readReplies();
            }
        }
        ran = true;
    }

    private void reset() {
        count = 0;
        ran = false;
        for (Node node : nodes) {
            if (node != null) {
                node.queued = 0;
                node.selects = 0;
            }
        }
    }

    private Node node(int n) {
        Node node = nodes[n];
        if (node == null) {
            RedisUri uri = topology.lookupNodes().get(n).withDb(null);
            RedisConnection c = RedisConnection.open(uri, tls, CONNECT_TIMEOUT);
            c.readTimeout(READ_TIMEOUT);
            node = nodes[n] = new Node(side, c);
        }
        return node;
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node != null) {
                node.conn.close();
            }
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] b(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** One connection's batch. */
    private static final class Node {
        final String side;
        final RedisConnection conn;
        final RespWriter writer = new RespWriter();
        Reply[] replies = new Reply[512];
        int queued;
        int selected; // a fresh connection is in db 0
        int[] selectAt = new int[4];
        int[] selectDb = new int[4];
        int selects;

        Node(String side, RedisConnection conn) {
            this.side = side;
            this.conn = conn;
        }

        int add(int db, byte[][] argv) {
            if (db != selected) {
                if (selects == selectAt.length) {
                    selectAt = Arrays.copyOf(selectAt, selects * 2);
                    selectDb = Arrays.copyOf(selectDb, selects * 2);
                }
                selectAt[selects] = queued;
                selectDb[selects++] = db;
                writer.command(b("SELECT"), b(db));
                queued++;
                selected = db;
            }
            writer.command(argv);
            return queued++;
        }

        void readReplies() {
            if (replies.length < queued) {
                replies = new Reply[Math.max(queued, replies.length * 2)];
            }
            for (int i = 0; i < queued; i++) {
                replies[i] = conn.read();
            }
            for (int i = 0; i < selects; i++) {
                Reply r = replies[selectAt[i]];
                if (r.isError()) {
                    selected = -1; // unknown now: select again next time
                    throw new UserError("the " + side + " at " + conn.describe() + " cannot select db " + selectDb[i] + ": "
                            + ((Reply.Error) r).message() + " (use --db to leave that database out)");
                }
            }
        }
    }
}
