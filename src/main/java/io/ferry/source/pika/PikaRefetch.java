package io.ferry.source.pika;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.source.pika.binlog.Action;
import io.ferry.source.pika.snapshot.PikaType;
import io.ferry.source.pika.binlog.TypeNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a key's current state from the Pika master's client port, for a binlog item that cannot be
 * replayed (3.x logs SPOP without the popped members). The state read is at least as new as the
 * item; the set commands that follow it in the binlog are idempotent, so applying them on top
 * converges on what the master holds.
 */
public final class PikaRefetch implements AutoCloseable {
    private static final int CHUNK = 1000;

    private final PikaSource source;
    private final TypeNames names;
    private RedisConnection conn;

    /** {@code names}: where a set of a name of several types lives on the target (--pika-type-conflict). */
    public PikaRefetch(PikaSource source, TypeNames names) {
        this.source = source;
        this.names = names;
    }

    /** The commands that make the target's key hold the master's current set (none when the policy leaves it out). */
    public List<byte[][]> stateOf(Action.Refetch r) throws IOException {
        if (!"set".equals(r.type())) {
            throw new IllegalArgumentException("only sets are re-read, not " + r.type());
        }
        var to = names.targetName(r.key(), PikaType.SET);
        if (to.isEmpty()) {
            return List.of();
        }
        byte[] target = to.get();
        RedisConnection c = connection();
        List<byte[][]> out = new ArrayList<>();
        out.add(new byte[][] {b("DEL"), target});
        List<byte[]> chunk = new ArrayList<>();
        String cursor = "0";
        do {
            Reply reply = c.call(b("SSCAN"), r.key(), b(cursor), b("COUNT"), b(String.valueOf(CHUNK)));
            if (reply.isError()) {
                throw new IOException("cannot re-read set '" + io.ferry.rdb.RdbReader.printable(r.key()) + "' from the Pika master: " + reply.asString());
            }
            List<Reply> parts = ((Reply.Array) reply).items();
            cursor = parts.get(0).asString();
            for (Reply m : ((Reply.Array) parts.get(1)).items()) {
                chunk.add(m.asBytes());
                if (chunk.size() == CHUNK) {
                    out.add(sadd(target, chunk));
                    chunk.clear();
                }
            }
        } while (!cursor.equals("0"));
        if (!chunk.isEmpty()) {
            out.add(sadd(target, chunk));
        }
        return out;
    }

    private static byte[][] sadd(byte[] key, List<byte[]> members) {
        byte[][] argv = new byte[members.size() + 2][];
        argv[0] = b("SADD");
        argv[1] = key;
        for (int i = 0; i < members.size(); i++) {
            argv[i + 2] = members.get(i);
        }
        return argv;
    }

    private RedisConnection connection() {
        if (conn == null) {
            RedisUri u = new RedisUri(source.host(), source.port(), null, source.password(), null, false);
            conn = RedisConnection.open(u, null, Duration.ofSeconds(10));
            if (source.dbIndex() != 0) {
                conn.call(b("SELECT"), b(String.valueOf(source.dbIndex())));
            }
        }
        return conn;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        if (conn != null) {
            conn.close();
        }
    }
}
