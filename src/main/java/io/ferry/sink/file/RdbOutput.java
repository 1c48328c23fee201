package io.ferry.sink.file;

import io.ferry.convert.ConvertStats;
import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RawValue;
import io.ferry.rdb.RdbWriter;
import io.ferry.rdb.ValueSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** An RDB file: the values go as the inputs serialized them (see {@link RdbWriter}). */
final class RdbOutput implements OutputFormat {
    private final RdbWriter w;
    private long keys;
    private long empty;
    private final ConvertStats stats = new ConvertStats(); // what the file does not carry: key metadata

    RdbOutput(OutputStream out, int version, boolean valkey, String ferryVersion) throws IOException {
        w = new RdbWriter(out, version, valkey);
        w.aux("ferry-ver", ferryVersion);
        w.aux("redis-bits", "64");
        w.aux("ctime", Long.toString(System.currentTimeMillis() / 1000));
    }

    @Override
    public boolean rawValues() {
        return true;
    }

    @Override
    public ValueSink beginKey(KeyHeader h) {
        return null;
    }

    @Override
    public void endKey(KeyHeader h, RawValue raw) {
        try {
            if (raw.isEmptyCollection()) {
                empty++; // a server skips (older ones refuse) empty collections on load
                return;
            }
            w.key(h.db, h.key, h.expireAtMs, h.idleSeconds, h.lfuFreq, raw);
            keys++;
            if (!h.keyMetadata.isEmpty()) {
                stats.droppedKeyMetadata.increment(); // the raw value starts at the type byte, after it
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            raw.release();
        }
    }

    @Override
    public void function(byte[] code) {
        try {
            w.function(code);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ConvertStats stats() {
        return stats;
    }

    @Override
    public long keysWritten() {
        return keys;
    }

    @Override
    public long keysEmpty() {
        return empty;
    }

    @Override
    public void finish() throws IOException {
        w.finish();
    }
}
