package io.ferry.check;

import io.ferry.resp.Keyspace;
import static io.ferry.check.SidePipes.b;

import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.resp.TlsOptions;
import io.ferry.target.StreamApplier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Walks one side's keyspace with SCAN — every scan node of its topology, every database that holds keys there and
 * passes the filter — and hands out batches of keys that pass the key filter and the sampler. Ferry's own sync
 * checkpoint keys are left out.
 */
final class KeyScanner {
    static final byte[] CHECKPOINT_PREFIX = StreamApplier.CHECKPOINT_KEY.getBytes(StandardCharsets.UTF_8);
    private static final int SCAN_COUNT = 1000;

    private final String side;
    private final Topology topology;
    private final TlsOptions tls;
    private final RateLimiter limiter;
    private final KeyFilter filter;
    private final Sampler sampler;
    private final Sampler.Quota quota;
    private final int batch;
    private final Recorder recorder;
    private final WorkerPool pool;
    private KeyHashSet picked;

    KeyScanner(String side, Topology topology, TlsOptions tls, RateLimiter limiter, KeyFilter filter, Sampler sampler,
            int batch, Recorder recorder, WorkerPool pool) {
        this.side = side;
        this.topology = topology;
        this.tls = tls;
        this.limiter = limiter;
        this.filter = filter;
        this.sampler = sampler;
        this.quota = sampler.quota();
        this.batch = batch;
        this.recorder = recorder;
        this.pool = pool;
    }

    /** Records the hash of every key handed out in {@code set} (as long as it has room). */
    KeyScanner recordingInto(KeyHashSet set) {
        this.picked = set;
        return this;
    }

    static boolean isCheckpoint(byte[] key) {
        if (key.length < CHECKPOINT_PREFIX.length) {
            return false;
        }
        for (int i = 0; i < CHECKPOINT_PREFIX.length; i++) {
            if (key[i] != CHECKPOINT_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /** Scans everything; {@code out} receives (db, keys) batches. */
    void scan(BiConsumer<Integer, List<byte[]>> out) {
        for (RedisUri node : topology.scanNodes()) {
            try (RedisConnection c = RedisConnection.open(node.withDb(null), tls, SidePipes.CONNECT_TIMEOUT)) {
                c.readTimeout(SidePipes.READ_TIMEOUT);
                Map<Integer, Long> dbs = Keyspace.parse(c.call("INFO", "keyspace").asString());
                for (int db : dbs.keySet()) {
                    // Under --db-prefix a target db holds several source dbs: the filter sees their numbers after the scan.
                    if ((filter.acceptsDb(db) || topology.names().prefixes()) && !quota.exhausted()) {
                        scanDb(c, db, out);
                    }
                }
            }
        }
    }

    /** Scans target db {@code db}; under --db-prefix its keys are handed on as the source (db, key) they come from. */
    private void scanDb(RedisConnection c, int db, BiConsumer<Integer, List<byte[]>> out) {
        Reply sel = c.call("SELECT", Integer.toString(db));
        if (sel.isError()) {
            throw new io.ferry.cli.UserError("the " + side + " at " + c.describe() + " cannot select db " + db + ": " + sel);
        }
        io.ferry.filter.DbMap names = topology.names();
        byte[] match = names.prefixes() ? null : filter.singleIncludeGlob(); // a glob on source names, not prefixed ones
        String cursor = "0";
        Map<Integer, List<byte[]>> batches = new java.util.TreeMap<>();
        do {
            pool.checkFailed();
            if (limiter != null) {
                limiter.acquire(1);
            }
            Reply page = match == null
                    ? c.call(b("SCAN"), b(cursor), b("COUNT"), b(SCAN_COUNT))
                    : c.call(b("SCAN"), b(cursor), b("MATCH"), match, b("COUNT"), b(SCAN_COUNT));
            if (page.isError()) {
                throw new io.ferry.cli.UserError("the " + side + " at " + c.describe() + " refused SCAN: " + ((Reply.Error) page).message());
            }
            List<Reply> r = page.asList();
            cursor = r.get(0).asString();
            for (Reply k : r.get(1).asList()) {
                byte[] key = k.asBytes();
                if (isCheckpoint(key)) {
                    continue;
                }
                int sourceDb = db;
                if (names.prefixes()) {
                    io.ferry.filter.DbMap.SourceName from = names.sourceOf(db, key);
                    sourceDb = from.db();
                    key = from.key();
                }
                if (!filter.acceptsDb(sourceDb) || !filter.acceptsKey(key) || !sampler.picks(sourceDb, key)) {
                    continue;
                }
                if (!quota.take()) {
                    cursor = "0";
                    break;
                }
                recorder.progress.increment();
                if (picked != null) {
                    picked.add(KeyHash.of(sourceDb, key));
                }
                List<byte[]> keys = batches.computeIfAbsent(sourceDb, x -> new ArrayList<>(batch));
                keys.add(key);
                if (keys.size() == batch) {
                    out.accept(sourceDb, keys);
                    batches.remove(sourceDb);
                }
            }
        } while (!cursor.equals("0"));
        batches.forEach(out);
    }
}
