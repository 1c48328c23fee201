package io.ferry.sink.file;

import io.ferry.convert.Args;
import io.ferry.convert.Expect;
import io.ferry.convert.KeyCommands;
import io.ferry.rdb.KeyHeader;
import io.ferry.resp.RespWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The converter's commands as RESP in a file, the form of an AOF and of {@code redis-cli --pipe}
 * input: a SELECT whenever the db changes; nothing waits for replies, so the converter's
 * reply markers (PING) are left out.
 */
final class RespFileCommands implements KeyCommands {
    private static final byte[] PING = Args.b("PING");
    private static final byte[] SET = Args.b("SET");
    private static final byte[] PXAT = Args.b("PXAT");
    private static final byte[] PEXPIREAT = Args.b("PEXPIREAT");
    private static final int FLUSH_BYTES = 1 << 16;

    private final OutputStream out;
    private final RespWriter resp = new RespWriter();
    private int db = -1;

    RespFileCommands(OutputStream out) {
        this.out = out;
    }

    @Override
    public void send(int keyDb, KeyHeader key, byte[][] argv, Expect expect) {
        if (Arrays.equals(argv[0], PING)) {
            return;
        }
        select(keyDb);
        if (Arrays.equals(argv[0], SET)) {
            set(argv);
        } else {
            resp.command(argv);
        }
        spill();
    }

    /**
     * {@code SET k v [PXAT t] [NX]} as {@code SET k v} and {@code PEXPIREAT k t}: every TTL in the
     * file takes one form, and NX means nothing in a file that holds each key once.
     */
    private void set(byte[][] argv) {
        resp.command(SET, argv[1], argv[2]);
        for (int i = 3; i + 1 < argv.length; i++) {
            if (Arrays.equals(argv[i], PXAT)) {
                resp.command(PEXPIREAT, argv[1], argv[i + 1]);
            }
        }
    }

    @Override
    public void sendMany(int keyDb, List<KeyHeader> keys, byte[][] argv) {
        select(keyDb);
        resp.command(argv);
        spill();
    }

    @Override
    public void sendFunction(byte[][] argv) {
        resp.command(argv);
        spill();
    }

    private void select(int keyDb) {
        if (keyDb != db) {
            resp.command(Args.b("SELECT"), Args.b(keyDb));
            db = keyDb;
        }
    }

    private void spill() {
        if (resp.size() >= FLUSH_BYTES) {
            flush();
        }
    }

    void flush() {
        try {
            resp.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
