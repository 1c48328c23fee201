package io.ferry.check;

import static io.ferry.check.SidePipes.b;

import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.resp.TlsOptions;
import io.ferry.source.pika.snapshot.PikaType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists every (name, type) of a Pika source, one type at a time, so that a name holding several types (Pika ≤ 3.5) is
 * handed out once per type and each pair is compared once:
 * <ul>
 *   <li>3.0–3.4: {@code SCANX <type> <start> [MATCH] COUNT n} — those versions have no {@code SCAN … TYPE}; SCANX is
 *       stateless (it answers the next start key, "" at the end), so it has no cursor that could be lost;
 *   <li>3.5 and 4.0: {@code SCAN cursor [MATCH] COUNT n TYPE t}. Pika keeps the cursor's state on the server and restarts
 *       silently from the start when it does not know a cursor (an LRU of cursors), so names already handed out are
 *       remembered per type and not handed out twice. Streams too ({@code TYPE stream}): on 3.5 TYPE, TTL and EXISTS
 *       do not see them, SCAN does. A server that refuses to list streams by type is logged, and counted; the target
 *       direction still compares every stream the target holds.
 * </ul>
 * Listing per type rather than deduplicating a plain SCAN and asking each name's types costs no more scanning (Pika
 * keeps each type apart, a plain SCAN walks them all in turn) and needs no memory across types.
 */
final class PikaScanner {
    private static final Logger LOG = LoggerFactory.getLogger(PikaScanner.class);
    private static final int COUNT = 1000;

    /** Receives batches of names of one type of one db. */
    interface Sink {
        void accept(int db, PikaType type, List<byte[]> names);
    }

    private final RedisUri uri;
    private final TlsOptions tls;
    private final PikaOrigin pika;
    private final RateLimiter limiter;
    private final KeyFilter filter;
    private final Sampler sampler;
    private final Sampler.Quota quota;
    private final int batch;
    private final Recorder recorder;
    private final WorkerPool pool;

    PikaScanner(RedisUri uri, TlsOptions tls, PikaOrigin pika, RateLimiter limiter, KeyFilter filter, Sampler sampler, int batch,
            Recorder recorder, WorkerPool pool) {
        this.uri = uri;
        this.tls = tls;
        this.pika = pika;
        this.limiter = limiter;
        this.filter = filter;
        this.sampler = sampler;
        this.quota = sampler.quota();
        this.batch = batch;
        this.recorder = recorder;
        this.pool = pool;
    }

    /** The types a generation can hold, in the order Pika's TYPE prefers them. */
    static List<PikaType> types(PikaOrigin.Generation g) {
        List<PikaType> out = new ArrayList<>(List.of(PikaType.values()));
        if (!g.streams()) {
            out.remove(PikaType.STREAM);
        }
        return out;
    }

    void scan(Sink out) {
        try (RedisConnection c = RedisConnection.open(uri.withDb(null), tls, SidePipes.CONNECT_TIMEOUT)) {
            c.readTimeout(SidePipes.READ_TIMEOUT);
            for (int db : pika.dbs()) {
                if (!filter.acceptsDb(db)) {
                    continue;
                }
                Reply sel = c.call("SELECT", Integer.toString(db));
                if (sel.isError()) {
                    throw refused("SELECT " + db, sel);
                }
                for (PikaType t : types(pika.generation())) {
                    if (!quota.exhausted() && filter.acceptsType(PikaReader.valueType(t))) {
                        scanType(c, db, t, out);
                    }
                }
            }
        }
    }

    private void scanType(RedisConnection c, int db, PikaType type, Sink out) {
        boolean scanx = pika.generation() == PikaOrigin.Generation.V3_3;
        byte[] match = filter.singleIncludeGlob();
        KeyHashSet handedOut = scanx ? null : new KeyHashSet(); // a restarted SCAN repeats names
        byte[] cursor = scanx ? new byte[0] : b("0");
        List<byte[]> names = new ArrayList<>(batch);
        boolean first = true;
        do {
            pool.checkFailed();
            if (limiter != null) {
                limiter.acquire(1);
            }
            List<byte[]> argv = new ArrayList<>();
            if (scanx) {
                argv.addAll(List.of(b("SCANX"), b(type.typeName()), cursor));
            } else {
                argv.addAll(List.of(b("SCAN"), cursor));
            }
            if (match != null) {
                argv.add(b("MATCH"));
                argv.add(match);
            }
            argv.add(b("COUNT"));
            argv.add(b(COUNT));
            if (!scanx) {
                argv.add(b("TYPE"));
                argv.add(b(type.typeName()));
            }
            Reply page = c.call(argv.toArray(new byte[0][]));
            if (page.isError()) {
                if (first && type == PikaType.STREAM) {
                    LOG.warn("the source does not list streams by type ({}): its streams are compared only where the target holds them",
                            ((Reply.Error) page).message());
                    recorder.note(Recorder.STREAMS_NOT_LISTED);
                    return;
                }
                throw refused(scanx ? "SCANX" : "SCAN … TYPE", page);
            }
            first = false;
            List<Reply> r = page.asList();
            cursor = r.get(0).asBytes();
            for (Reply k : r.get(1).asList()) {
                byte[] name = k.asBytes();
                if (KeyScanner.isCheckpoint(name) || !filter.acceptsKey(name) || !sampler.picks(db, name)) {
                    continue;
                }
                if (handedOut != null) {
                    long h = KeyHash.of(db, name);
                    if (handedOut.contains(h)) {
                        continue; // repeated by a restarted cursor
                    }
                    handedOut.add(h);
                }
                if (!quota.take()) {
                    cursor = scanx ? new byte[0] : b("0");
                    break;
                }
                recorder.progress.increment();
                names.add(name);
                if (names.size() == batch) {
                    out.accept(db, type, names);
                    names = new ArrayList<>(batch);
                }
            }
        } while (scanx ? cursor.length > 0 : !java.util.Arrays.equals(cursor, b("0")));
        if (!names.isEmpty()) {
            out.accept(db, type, names);
        }
    }

    private PikaCheckException refused(String command, Reply r) {
        return new PikaCheckException(PikaCheckException.Reason.REFUSED_READ,
                "the source " + uri.redacted() + " refused " + command + ": " + ((Reply.Error) r).message());
    }
}
