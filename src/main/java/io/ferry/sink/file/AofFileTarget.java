package io.ferry.sink.file;

import io.ferry.OperatorException;
import io.ferry.convert.TargetFeatures;
import io.ferry.resp.Reply;
import io.ferry.resp.ReplyCallback;
import io.ferry.resp.RespWriter;
import io.ferry.route.CommandTable;
import io.ferry.source.aof.AofCommandReader;
import io.ferry.source.aof.AofFormatException;
import io.ferry.target.Lane;
import io.ferry.target.StreamApplier;
import io.ferry.target.Target;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An AOF file as the target of {@code ferry sync}: the snapshot's keys and the live stream as RESP
 * commands a server loads as its AOF (and {@code redis-cli --pipe} accepts). Lanes are kept (each
 * batch is a MULTI/EXEC with its lane's checkpoint SET, as on a server), but share one byte stream,
 * so the selected db is the file's, not a lane's. The file is its own checkpoint: on open it is read
 * through, a torn tail (a command or transaction cut by a crash) is cut off, and the last complete
 * checkpoint of each lane tells a resume what the file holds, so it appends exactly what is missing.
 * Replies are made up (a file refuses nothing) and given only once the bytes are written to the
 * file, so an applied offset is never ahead of it (a process crash keeps what was written; a power
 * loss may not: there is no fsync per batch).
 */
public final class AofFileTarget implements Target {
    private static final int WRITE_AT = 1 << 20;
    private static final Reply OK = new Reply.Simple("OK");
    private static final Reply QUEUED = new Reply.Simple("QUEUED");
    private static final Reply ONE = new Reply.Int(1);

    private final Path path;
    private final FileChannel file;
    private final OutputStream out;
    private final RespWriter buf = new RespWriter();
    private final List<Lane> lanes = new ArrayList<>();
    private final List<Runnable> pendingReplies = new ArrayList<>();
    private final Map<Integer, String> checkpoints; // lane → last complete checkpoint value in the file
    private final boolean emptyAtOpen;
    private int db; // the db the file has selected at its end
    private List<Reply> transaction; // replies of the open MULTI, given at its EXEC

    private AofFileTarget(Path path, FileChannel file, Scan scan, int laneCount) {
        this.path = path;
        this.file = file;
        this.out = Channels.newOutputStream(file);
        this.checkpoints = scan.checkpoints;
        this.db = scan.db;
        this.emptyAtOpen = scan.end == 0;
        for (int i = 0; i < laneCount; i++) {
            lanes.add(new FileLane());
        }
    }

    /** Opens (or creates) {@code path}, cutting off a torn tail an interrupted run left. */
    public static AofFileTarget open(Path path, int laneCount) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Scan scan = Scan.of(path, ch);
                if (scan.end < ch.size()) {
                    ch.truncate(scan.end); // never loaded by a server anyway: it discards an unfinished MULTI
                }
                ch.position(scan.end);
                return new AofFileTarget(path, ch, scan, laneCount);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (AofFormatException e) {
            throw new OperatorException(path + " is not an AOF Ferry can append to (" + e.getMessage() + "); choose another file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /** What reading the file through found: where its complete commands end, its db there, the lanes' checkpoints. */
    private record Scan(long end, int db, Map<Integer, String> checkpoints) {
        static Scan of(Path path, FileChannel ch) throws IOException {
            long size = ch.size();
            Map<Integer, String> done = new HashMap<>();
            if (size == 0) {
                return new Scan(0, 0, done);
            }
            AofCommandReader r = new AofCommandReader(new BufferedInputStream(Channels.newInputStream(ch.position(0)), 1 << 16),
                    path.toString(), 0, size, true);
            long end = 0;
            int db = 0;
            int dbAtEnd = 0;
            Map<Integer, String> inTx = null;
            try {
                for (AofCommandReader.Entry e; (e = r.next()) != null; ) {
                    if (!(e instanceof AofCommandReader.Command c)) {
                        continue;
                    }
                    String name = CommandTable.name(c.argv());
                    if (name.equals("SELECT")) {
                        db = Integer.parseInt(new String(c.argv()[1], StandardCharsets.US_ASCII));
                    } else if (name.equals("MULTI")) {
                        inTx = new HashMap<>();
                    } else if (name.equals("EXEC") && inTx != null) {
                        done.putAll(inTx);
                        inTx = null;
                    } else if (name.equals("SET") && c.argv().length == 3 && inTx != null) {
                        String key = new String(c.argv()[1], StandardCharsets.UTF_8);
                        if (key.startsWith(StreamApplier.CHECKPOINT_KEY)) {
                            inTx.put(Integer.parseInt(key.substring(StreamApplier.CHECKPOINT_KEY.length())), new String(c.argv()[2], StandardCharsets.UTF_8));
                        }
                    }
                    if (inTx == null) {
                        end = c.end();
                        dbAtEnd = db;
                    }
                }
            } catch (io.ferry.source.aof.AofTruncatedException cut) {
                // the tail a crash left: cut off at the last complete command or transaction
            }
            return new Scan(end, dbAtEnd, done);
        }
    }

    public Path path() {
        return path;
    }

    /** Made-up replies: what a server answers when it runs the command (a file refuses nothing). */
    private static Reply replyTo(String name) {
        return name.equals("RENAMENX") || name.equals("DEL") || name.equals("UNLINK") ? ONE : OK;
    }

    /** Appends one command; the SELECT it needs first is the file's, whichever lane sends. */
    private synchronized boolean append(int targetDb, byte[][] argv, ReplyCallback cb) {
        boolean selected = false;
        if (targetDb >= 0 && targetDb != db) {
            byte[][] select = {"SELECT".getBytes(StandardCharsets.US_ASCII), Integer.toString(targetDb).getBytes(StandardCharsets.US_ASCII)};
            buf.command(select);
            db = targetDb;
            selected = true;
            if (transaction != null) {
                transaction.add(OK);
            }
        }
        buf.command(argv);
        String name = CommandTable.name(argv); // cached per name: no allocation per command
        Reply r;
        if (name.equals("MULTI")) {
            transaction = new ArrayList<>();
            r = OK;
        } else if (name.equals("EXEC")) {
            r = new Reply.Array(transaction == null ? List.of() : transaction);
            transaction = null;
        } else if (transaction != null) {
            transaction.add(replyTo(name));
            r = QUEUED;
        } else {
            r = replyTo(name);
        }
        pendingReplies.add(() -> cb.onReply(r));
        if (buf.size() >= WRITE_AT && transaction == null) {
            write();
        }
        return selected;
    }

    /** Writes what is buffered to the file, then gives the replies of what it holds now. */
    private void write() {
        List<Runnable> replies;
        synchronized (this) {
            try {
                buf.writeTo(out);
                buf.clear();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
            }
            replies = new ArrayList<>(pendingReplies);
            pendingReplies.clear();
        }
        replies.forEach(Runnable::run);
    }

    /** One lane of the file: only the order of its commands is its own. */
    private final class FileLane implements Lane {
        @Override
        public boolean send(int targetDb, byte[][] argv, ReplyCallback cb) {
            return append(targetDb, argv, cb);
        }

        @Override
        public void forgetDb() {
            // the file's db is tracked where the bytes are written; nothing is ever discarded
        }

        @Override
        public void flush() {
            write();
        }

        @Override
        public void drain() {
            write();
        }

        @Override
        public void close() {
            write();
        }
    }

    @Override
    public TargetFeatures features() {
        // What the file holds must load into a server: the commands of Redis 7.0 (RESTORE payloads up to RDB 10).
        return TargetFeatures.of("redis", "7.0.0", true, false);
    }

    @Override
    public boolean emptyAtOpen() {
        return emptyAtOpen;
    }

    @Override
    public List<Lane> lanes() {
        return lanes;
    }

    @Override
    public int laneIndex(byte[] key) {
        return Math.floorMod(java.util.Arrays.hashCode(key), lanes.size());
    }

    @Override
    public String laneFailure() {
        return null;
    }

    @Override
    public int databases() {
        return Integer.MAX_VALUE; // the server that loads the file decides; a file holds any db
    }

    @Override
    public void requireDb(int targetDb, String what) {
        // any db: see databases()
    }

    @Override
    public String refusalOf(byte[][] argv) {
        return null;
    }

    @Override
    public boolean hasFunctionLibrary(String name) {
        return false;
    }

    @Override
    public StreamApplier.LaneCheckpoints readCheckpoints(int laneCount, String syncId, String partition) {
        return StreamApplier.LaneCheckpoints.of(laneCount, syncId, checkpoints::get);
    }

    @Override
    public synchronized void prepareFullSync(boolean ours) {
        try {
            if (file.size() > 0 && !ours) {
                throw new OperatorException(path + " already holds data that is not from this sync; remove it or choose another file");
            }
            buf.clear();
            pendingReplies.clear();
            file.truncate(0);
            file.position(0);
            db = 0;
            checkpoints.clear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            write();
            file.force(true);
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
        }
    }
}
