package io.ferry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.resp.Reply;
import io.ferry.resp.RespReader;
import io.ferry.source.pika.wire.BinlogItem;
import io.ferry.source.pika.wire.BinlogOffset;
import io.ferry.source.pika.wire.Frames;
import io.ferry.source.pika.wire.InnerRequest;
import io.ferry.source.pika.wire.InnerResponse;
import io.ferry.source.pika.wire.MessageType;
import io.ferry.source.pika.wire.PikaPosition;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Pika master for tests, driven by the recordings of a real one (fixtures/pika/VERSION): its
 * client port answers INFO with the recorded reply (and SSCAN from a given state); its replication
 * port (+2000) answers MetaSync, DBSync and TrySync with recorded frames and streams the recorded
 * binlog items (their exact bytes) after the dump's position, checking every ack the way the real
 * master does (both ends must be item ends it sent and has not seen acked, else it closes the
 * connection); it pushes the recorded dump with rsync (3.x) or serves it on +10001 (3.5/4.0).
 * Hooks cut the link after a number of items, or make a position purged.
 *
 * <p>Synthetic mode ({@link #synthetic}) takes the handshake frames and INFO of a version's
 * recording but serves a dump directory given by the caller and a binlog made of the caller's
 * commands: for benchmarks far bigger than any recording.
 */
public final class FakePikaMaster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded binlog item of a db, at its position in this fake's binlog. */
    public record Item(String db, long end, BinlogOffset offset, byte[] binlog) {}

    private final Path dir;
    /** The db directory served or pushed: the recording's, or the synthetic one. */
    private final Path dump;
    private final String version;
    private final int port;
    private final ServerSocket main;
    private final ServerSocket repl;
    private final ServerSocket rsync;
    private final Map<String, List<Item>> items = new LinkedHashMap<>();
    private final Map<String, Long> dumpPosition = new LinkedHashMap<>();
    private final byte[] metaSyncReply;
    private final byte[] infoServerReply;
    private final int sessionId;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** What the test can check and steer. */
    public final List<String> violations = new CopyOnWriteArrayList<>();
    public final AtomicInteger replConnections = new AtomicInteger();
    public final AtomicInteger dbSyncs = new AtomicInteger();
    public final AtomicInteger removeSlaves = new AtomicInteger();
    public final AtomicLong itemsSent = new AtomicLong();
    /** Close the replication connection once, after this many items were sent in total (-1: never). */
    public final AtomicLong cutAfterItems = new AtomicLong(-1);
    /** Go silent once (no push, no keepalive, the connection left open) after this many items were sent in total (-1: never). */
    public final AtomicLong silenceAfterItems = new AtomicLong(-1);
    /** A pause after each push, so that a test can act while the stream flows. */
    public volatile long pushPauseMs;
    /** TrySync from a position below this (other than a dump's) answers kSyncPointBePurged. */
    public final AtomicLong purgedBelow = new AtomicLong(Long.MIN_VALUE);
    /** What CONFIG GET expire-logs-nums answers (Pika's stock value: 10). */
    public volatile int expireLogsNums = 10;
    /** The state SSCAN answers from (key -> members), for the 3.x SPOP re-read. */
    public final Map<String, List<String>> sets = new ConcurrentHashMap<>();
    /** While set, nothing of the binlog is pushed (keepalives still are): a benchmark releases it after the dump. */
    public volatile boolean holdBinlog;
    /** Items per push; 0 = the recorded mode's random 1–20 (a real master sends up to 100, PIKA.md §5). */
    public volatile int pushItems;
    /** Items the replica acked, and when the first push and the latest ack happened (System.nanoTime, 0 = not yet). */
    public final AtomicLong itemsAcked = new AtomicLong();
    public volatile long firstPushNanos;
    public volatile long lastAckNanos;
    private volatile String requirePass;
    private FakeRsyncService rsyncService;

    private FakePikaMaster(Path dir, String version, String recording, long upToLogicId, List<String> dbs, boolean shift) throws IOException {
        this.dir = dir;
        this.dump = dir.resolve("snapshot").resolve("db0");
        this.version = version;
        int p = freeTriple();
        this.port = p;
        InetAddress lo = InetAddress.getLoopbackAddress();
        this.main = new ServerSocket(p, 50, lo);
        this.repl = new ServerSocket(p + 2000, 50, lo);
        this.rsync = version.startsWith("3.3") ? null : new ServerSocket(p + 10001, 50, lo);
        List<JsonNode> frames = readJsonl(dir.resolve(recording));
        this.metaSyncReply = metaSyncReply(frames, dbs);
        this.sessionId = firstTrySyncSession(frames);
        this.infoServerReply = infoServerReply(dir.resolve("redis-surface.jsonl"));
        long infoPos = dumpInfoPosition(dir);
        for (String db : dbs) {
            dumpPosition.put(db, infoPos);
            items.put(db, new ArrayList<>());
        }
        loadItems(frames, upToLogicId, infoPos, shift);
        accept(main, this::serveMain);
        accept(repl, this::serveRepl);
        if (rsync != null) {
            rsyncService = FakeRsyncService.ofRecording(rsync, dir);
            rsyncService.dbs = items.keySet();
        }
    }

    /**
     * The master of {@code version}'s full-sync recording: the dump of {@code snapshot/} and then the
     * items of {@code replication.transcript.jsonl} up to {@code last_logic_id} of
     * {@code replication.final.expected.json}. 3.3.6's incremental session ran on another master
     * than its dump: its items are placed right after the dump's position (positions are the fake's).
     */
    public static FakePikaMaster fullSync(String version) throws IOException {
        Path dir = Fixtures.requirePikaDir(version);
        long upTo = JSON.readTree(dir.resolve("replication.final.expected.json").toFile()).get("last_logic_id").asLong();
        return new FakePikaMaster(dir, version, "replication.transcript.jsonl", upTo, List.of("db0"), version.startsWith("3.3"));
    }

    /**
     * The multi-db master of {@code version} (3.5.5, 4.0.1): every db gets the recorded dump, then
     * its own recorded items up to logic id {@code upTo} (logic ids are per db: 1–3 write
     * {@code md:pre:dbN}, {@code md:k:dbN} and {@code md:h}; 4 is the FLUSHALL, one flushdb per db).
     */
    public static FakePikaMaster multiDb(String version, long upTo) throws IOException {
        Path dir = Fixtures.requirePikaDir(version);
        return new FakePikaMaster(dir, version, "replication.multidb.transcript.jsonl", upTo, List.of("db0", "db1", "db2"), true);
    }

    /**
     * A master of {@code version}'s handshake (MetaSync, session id, INFO from its recording) whose db0
     * holds the dump in {@code dumpDir} (its {@code info} gives the binlog position) and whose binlog
     * is {@code commands}, one item each, at ascending positions right after the dump's, in 100 MB
     * binlog files like Pika's default {@code binlog-file-size}. The 3.5/4.0 dump service serves every
     * file of {@code dumpDir}, {@code info} last.
     */
    public static FakePikaMaster synthetic(Path dumpDir, String version, Iterable<byte[][]> commands) throws IOException {
        return new FakePikaMaster(Fixtures.requirePikaDir(version), version, dumpDir, commands);
    }

    private FakePikaMaster(Path dir, String version, Path dumpDir, Iterable<byte[][]> commands) throws IOException {
        this.dir = dir;
        this.dump = dumpDir;
        this.version = version;
        int p = freeTriple();
        this.port = p;
        InetAddress lo = InetAddress.getLoopbackAddress();
        this.main = new ServerSocket(p, 50, lo);
        this.repl = new ServerSocket(p + 2000, 50, lo);
        this.rsync = version.startsWith("3.3") ? null : new ServerSocket(p + 10001, 50, lo);
        List<JsonNode> frames = readJsonl(dir.resolve("replication.transcript.jsonl"));
        this.metaSyncReply = metaSyncReply(frames, List.of("db0"));
        this.sessionId = firstTrySyncSession(frames);
        this.infoServerReply = infoServerReply(dir.resolve("redis-surface.jsonl"));
        long infoPos = infoPosition(dumpDir.resolve("info"));
        dumpPosition.put("db0", infoPos);
        items.put("db0", synthesize(infoPos, commands));
        pushItems = 100;
        accept(main, this::serveMain);
        accept(repl, this::serveRepl);
        if (rsync != null) {
            rsyncService = new FakeRsyncService(rsync, dumpDir, listing(dumpDir), "5b1e7c0ffee5b1e7c0ffee5b1e7c0ffe");
        }
    }

    private static final long BINLOG_FILE_SIZE = 100L << 20;

    /** Each command as a binlog item (type 1, logic ids from 1); an item ends where the next starts. */
    private static List<Item> synthesize(long from, Iterable<byte[][]> commands) {
        List<Item> out = new ArrayList<>();
        long filenum = PikaPosition.filenum(from);
        long offset = PikaPosition.offset(from);
        long logicId = 0;
        long now = System.currentTimeMillis() / 1000;
        for (byte[][] argv : commands) {
            byte[] binlog = BinlogItem.encode(new BinlogItem(1, now, 0, ++logicId, filenum, offset, argv));
            if (offset + binlog.length > BINLOG_FILE_SIZE) {
                filenum++;
                offset = 0;
            }
            offset += binlog.length;
            out.add(new Item("db0", PikaPosition.of(filenum, offset), new BinlogOffset(filenum, offset, 0, 0), binlog));
        }
        return out;
    }

    /** What the dump service lists: every file under the dump, {@code info} last (the replica takes it as the end). */
    private static List<String> listing(Path dumpDir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dumpDir)) {
            List<String> names = new ArrayList<>(files.filter(Files::isRegularFile).map(f -> dumpDir.relativize(f).toString())
                    .filter(n -> !n.equals("info")).sorted().toList());
            names.add("info");
            return names;
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "pika://127.0.0.1:" + port;
    }

    public void requirePass(String password) {
        this.requirePass = password;
    }

    public List<Item> items(String db) {
        return items.get(db);
    }

    /** The position the dump of {@code db} continues from. */
    public long dumpPosition(String db) {
        return dumpPosition.get(db);
    }

    /** {@code shift}: the recording's stream did not follow this dump: place each db's items right after the dump's position. */
    private void loadItems(List<JsonNode> frames, long upToLogicId, long infoPos, boolean shift) throws IOException {
        for (JsonNode f : frames) {
            if (!"from_master".equals(f.path("dir").asText()) || !f.has("hex")) {
                continue;
            }
            byte[] frame = HexFormat.of().parseHex(f.get("hex").asText());
            InnerResponse r = InnerResponse.parse(java.util.Arrays.copyOfRange(frame, 4, frame.length));
            if (r.type() != MessageType.BINLOG_SYNC) {
                continue;
            }
            for (InnerResponse.BinlogPush p : r.binlogs()) {
                if (p.keepalive() || !items.containsKey(p.db())) {
                    continue;
                }
                BinlogItem it = BinlogItem.parse(p.binlog());
                if (it.logicId() > upToLogicId) {
                    continue;
                }
                BinlogOffset o = p.offset();
                if (shift) {
                    o = o.filenum() == 0 ? new BinlogOffset(PikaPosition.filenum(infoPos), PikaPosition.offset(infoPos) + o.offset(), o.term(), o.index())
                            : new BinlogOffset(PikaPosition.filenum(infoPos) + o.filenum(), o.offset(), o.term(), o.index());
                }
                items.get(p.db()).add(new Item(p.db(), PikaPosition.of(o.filenum(), o.offset()), o, p.binlog()));
            }
        }
    }

    // ---- the client port -------------------------------------------------------------------

    private void serveMain(Socket s) throws IOException {
        RespReader in = new RespReader(s.getInputStream());
        OutputStream out = s.getOutputStream();
        while (true) {
            Reply req = in.read();
            if (req == null) {
                return;
            }
            List<Reply> argv = ((Reply.Array) req).items();
            String cmd = argv.get(0).asString().toUpperCase(java.util.Locale.ROOT);
            if (cmd.equals("INFO")) {
                out.write(infoServerReply);
            } else if (cmd.equals("AUTH")) {
                out.write(requirePass != null && requirePass.equals(argv.get(argv.size() - 1).asString()) ? "+OK\r\n".getBytes() : "-ERR invalid password\r\n".getBytes());
            } else if (cmd.equals("SSCAN")) {
                List<String> members = sets.getOrDefault(argv.get(1).asString(), List.of());
                StringBuilder b = new StringBuilder("*2\r\n$1\r\n0\r\n*" + members.size() + "\r\n");
                for (String m : members) {
                    b.append('$').append(m.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(m).append("\r\n");
                }
                out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
            } else if (cmd.equals("CONFIG") && argv.size() == 3 && argv.get(2).asString().equals("expire-logs-nums")) {
                out.write(("*2\r\n$16\r\nexpire-logs-nums\r\n$" + String.valueOf(expireLogsNums).length() + "\r\n" + expireLogsNums + "\r\n").getBytes());
            } else if (cmd.equals("PING")) {
                out.write("+PONG\r\n".getBytes());
            } else {
                out.write(("-ERR unknown command \"" + cmd.toLowerCase(java.util.Locale.ROOT) + "\"\r\n").getBytes());
            }
            out.flush();
        }
    }

    // ---- the replication port ---------------------------------------------------------------

    /** One replica connection: handshake, then pushes from the stream position while the replica acks. */
    private void serveRepl(Socket s) throws IOException {
        replConnections.incrementAndGet();
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        Map<String, Streaming> streams = new ConcurrentHashMap<>();
        while (true) {
            byte[] m = Frames.read(in, 1 << 26);
            if (m == null) {
                return;
            }
            InnerRequest.Parsed r = InnerRequest.parse(m);
            switch (r.type()) {
                case META_SYNC -> {
                    if (requirePass != null && !requirePass.equals(r.auth())) {
                        write(out, InnerResponse.metaSyncReply(InnerResponse.Code.ERROR, null, "Auth with master error, Invalid masterauth"));
                    } else {
                        write(out, metaSyncReply);
                    }
                }
                case DB_SYNC -> {
                    dbSyncs.incrementAndGet();
                    write(out, InnerResponse.dbSyncReply(InnerResponse.Code.OK, new InnerResponse.DbSync(r.db(), 0, sessionId), null));
                    if (rsync == null) {
                        pushDump(r.node().ip(), r.node().port() + 1000, r.db());
                    }
                }
                case TRY_SYNC -> write(out, trySync(r));
                case BINLOG_SYNC -> {
                    if (r.firstSend()) {
                        Streaming st = new Streaming(r.db(), PikaPosition.of(r.ackStart().filenum(), r.ackStart().offset()));
                        streams.put(r.db(), st);
                        Thread t = new Thread(() -> st.push(s, out), "fake-pika-push-" + r.db());
                        t.setDaemon(true);
                        t.start();
                    } else if (!r.ackStart().isZero() || !r.ackEnd().isZero()) {
                        Streaming st = streams.get(r.db());
                        if (st == null || !st.ack(PikaPosition.of(r.ackStart().filenum(), r.ackStart().offset()),
                                PikaPosition.of(r.ackEnd().filenum(), r.ackEnd().offset()))) {
                            violations.add("ack " + describe(r.ackStart()) + ".." + describe(r.ackEnd()) + " of " + r.db() + " is not a run of unacked item ends");
                            s.close(); // what the real master does ("not found in binlog controller window")
                            return;
                        }
                    }
                }
                case REMOVE_SLAVE_NODE -> {
                    removeSlaves.incrementAndGet();
                    write(out, InnerResponse.removeSlaveNodeReply(new io.ferry.source.pika.wire.Node("127.0.0.1", port), r.removedDbs()));
                }
                default -> violations.add("unexpected request " + r.type());
            }
        }
    }

    private byte[] trySync(InnerRequest.Parsed r) {
        List<Item> its = items.get(r.db());
        if (its == null) {
            return InnerResponse.trySyncReply(InnerResponse.Code.ERROR, new InnerResponse.TrySync(InnerResponse.TrySyncReply.ERROR, r.db(), 0, null, -1),
                    "DB not found");
        }
        long at = PikaPosition.of(r.offset().filenum(), r.offset().offset());
        long last = its.isEmpty() ? dumpPosition.get(r.db()) : its.get(its.size() - 1).end();
        BinlogOffset master = PikaPosition.toOffset(last);
        InnerResponse.TrySyncReply code;
        if (at < purgedBelow.get() && at != dumpPosition.get(r.db()) || at < dumpPosition.get(r.db())) {
            code = InnerResponse.TrySyncReply.SYNC_POINT_BE_PURGED;
        } else if (at > last) {
            code = InnerResponse.TrySyncReply.SYNC_POINT_LARGER;
        } else if (at != dumpPosition.get(r.db()) && its.stream().noneMatch(i -> i.end() == at)) {
            code = InnerResponse.TrySyncReply.ERROR;
        } else {
            code = InnerResponse.TrySyncReply.OK;
        }
        return InnerResponse.trySyncReply(InnerResponse.Code.OK,
                new InnerResponse.TrySync(code, r.db(), 0, master, code == InnerResponse.TrySyncReply.OK ? sessionId : -1), null);
    }

    /** One db's stream on one connection: the items after {@code from}, at most a window unacked. */
    private final class Streaming {
        private static final int WINDOW = 9000;
        private final String db;
        private final List<Long> unacked = new ArrayList<>();
        private int next;

        Streaming(String db, long from) {
            this.db = db;
            List<Item> its = items.get(db);
            while (next < its.size() && its.get(next).end() <= from) {
                next++;
            }
        }

        synchronized boolean ack(long first, long last) {
            if (unacked.isEmpty() || unacked.get(0) != first || !unacked.contains(last)) {
                return false;
            }
            int upTo = unacked.indexOf(last);
            unacked.subList(0, upTo + 1).clear();
            itemsAcked.addAndGet(upTo + 1);
            lastAckNanos = System.nanoTime();
            notifyAll();
            return true;
        }

        void push(Socket s, OutputStream out) {
            List<Item> its = items.get(db);
            java.util.Random rnd = new java.util.Random(42);
            long idleSince = System.nanoTime();
            try {
                while (!s.isClosed()) {
                    List<InnerResponse.BinlogPush> batch = new ArrayList<>();
                    synchronized (this) {
                        int n = pushItems > 0 ? pushItems : 1 + rnd.nextInt(20);
                        while (!holdBinlog && batch.size() < n && next < its.size() && unacked.size() < WINDOW) {
                            Item it = its.get(next++);
                            batch.add(new InnerResponse.BinlogPush(db, 0, it.offset(), it.binlog(), sessionId));
                            unacked.add(it.end());
                        }
                        if (batch.isEmpty()) {
                            if (unacked.isEmpty() && System.nanoTime() - idleSince > 300_000_000L) {
                                idleSince = System.nanoTime();
                                write(out, InnerResponse.keepalive(db, sessionId));
                            }
                            wait(50);
                            continue;
                        }
                    }
                    if (firstPushNanos == 0) {
                        firstPushNanos = System.nanoTime();
                    }
                    write(out, InnerResponse.binlogPush(batch));
                    if (pushPauseMs > 0) {
                        Thread.sleep(pushPauseMs);
                    }
                    idleSince = System.nanoTime();
                    long sent = itemsSent.addAndGet(batch.size());
                    long cut = cutAfterItems.get();
                    if (cut >= 0 && sent >= cut && cutAfterItems.compareAndSet(cut, -1)) {
                        s.close(); // a network cut: the replica must resume from what it applied
                        return;
                    }
                    long quiet = silenceAfterItems.get();
                    if (quiet >= 0 && sent >= quiet && silenceAfterItems.compareAndSet(quiet, -1)) {
                        return; // a link that stays open but carries nothing: the replica must notice the silence itself
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended
            }
        }
    }

    /** What a 3.x master does after a DBSync: rsync each type directory of the dump, then info, into the replica's daemon. */
    private void pushDump(String ip, int rsyncPort, String db) {
        Thread t = new Thread(() -> {
            try {
                for (String type : List.of("strings", "zsets", "hashes", "lists", "sets")) {
                    rsync(dump.resolve(type) + "/", ip, rsyncPort, db + "/" + type + "/");
                }
                rsync(dump.resolve("info").toString(), ip, rsyncPort, db + "/");
            } catch (IOException | InterruptedException e) {
                violations.add("rsync push failed: " + e.getMessage());
            }
        }, "fake-pika-rsync");
        t.setDaemon(true);
        t.start();
    }

    private void rsync(String from, String ip, int port, String to) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("rsync", "-a", from, "rsync://rsync_user@" + ip + ":" + port + "/document/" + to).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("RSYNC_PASSWORD", requirePass == null ? "default" : requirePass);
        int rc = pb.start().waitFor();
        if (rc != 0) {
            throw new IOException("rsync " + from + " exited " + rc);
        }
    }

    // ---- the 3.5/4.0 dump service (+10001) ---------------------------------------------------

    /** The dump service: the recorded listing and uuid, the files of {@code snapshot/}, for every db. */
    public FakeRsyncService rsync() {
        return rsyncService;
    }

    // ---- recordings -------------------------------------------------------------------------

    private static byte[] metaSyncReply(List<JsonNode> frames, List<String> dbs) {
        for (JsonNode f : frames) {
            if ("from_master".equals(f.path("dir").asText()) && f.path("decoded").path("text").asText().startsWith("type: kMetaSync code: kOk")) {
                byte[] frame = HexFormat.of().parseHex(f.get("hex").asText());
                return java.util.Arrays.copyOfRange(frame, 4, frame.length);
            }
        }
        throw new IllegalStateException("no MetaSync reply in the recording");
    }

    private static int firstTrySyncSession(List<JsonNode> frames) throws IOException {
        for (JsonNode f : frames) {
            if ("from_master".equals(f.path("dir").asText()) && f.path("decoded").path("text").asText().startsWith("type: kTrySync")) {
                byte[] frame = HexFormat.of().parseHex(f.get("hex").asText());
                InnerResponse r = InnerResponse.parse(java.util.Arrays.copyOfRange(frame, 4, frame.length));
                if (r.trySync() != null && r.trySync().sessionId() >= 0) {
                    return r.trySync().sessionId();
                }
            }
        }
        return 0;
    }

    private static byte[] infoServerReply(Path surface) throws IOException {
        for (JsonNode row : readJsonl(surface)) {
            JsonNode argv = row.get("argv");
            if (argv != null && argv.size() >= 1 && argv.get(0).asText().equalsIgnoreCase("INFO")) {
                return HexFormat.of().parseHex(row.get("reply_hex").asText());
            }
        }
        throw new IllegalStateException("no INFO in " + surface);
    }

    private static long dumpInfoPosition(Path dir) throws IOException {
        Path info = dir.resolve("snapshot").resolve("info");
        if (!Files.exists(info)) {
            info = dir.resolve("snapshot").resolve("db0").resolve("info");
        }
        return infoPosition(info);
    }

    private static long infoPosition(Path info) throws IOException {
        String[] lines = Files.readString(info).split("\n");
        return PikaPosition.of(Long.parseLong(lines[3].strip()), Long.parseLong(lines[4].strip()));
    }

    static List<JsonNode> readJsonl(Path p) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(p)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    private static String describe(BinlogOffset o) {
        return o.filenum() + "/" + o.offset();
    }

    private static void write(OutputStream out, byte[] message) throws IOException {
        synchronized (out) {
            Frames.write(out, message);
            out.flush();
        }
    }

    private static int freeTriple() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int p = 20000 + new java.util.Random().nextInt(30000);
            if (free(p) && free(p + 2000) && free(p + 10001)) {
                return p;
            }
        }
        throw new IOException("no free port triple");
    }

    private static boolean free(int p) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @FunctionalInterface
    private interface Handler {
        void serve(Socket s) throws IOException;
    }

    private void accept(ServerSocket server, Handler h) {
        Thread t = new Thread(() -> {
            while (!closed) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    Thread c = new Thread(() -> {
                        try (s) {
                            h.serve(s);
                        } catch (IOException | RuntimeException e) {
                            if (!closed && !s.isClosed()) {
                                violations.add("fake master: " + e);
                            }
                        }
                    }, "fake-pika-conn");
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-pika-accept-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        main.close();
        repl.close();
        if (rsyncService != null) {
            try {
                rsyncService.close();
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        for (Socket s : open) {
            s.close();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
