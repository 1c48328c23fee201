package io.ferry.sink.file;

import io.ferry.convert.ConflictPolicy;
import io.ferry.convert.ConvertOptions;
import io.ferry.convert.ConvertStats;
import io.ferry.convert.SnapshotConverter;
import io.ferry.convert.TargetFeatures;
import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RawValue;
import io.ferry.rdb.ValueSink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntUnaryOperator;

/**
 * An AOF: each key as typed commands (SET, RPUSH, SADD, ZADD, HSET, stream commands; PEXPIREAT
 * for its TTL), written by the same converter as a server target's {@code --typed} path, for the
 * commands of the Redis release that wrote the newest input (at least 7.0).
 */
final class AofOutput implements OutputFormat {
    private final RespFileCommands commands;
    private final SnapshotConverter converter;
    private final ConvertStats stats = new ConvertStats();
    private long empty;

    /** {@code now}: the run's one clock reading, so the converter and the key chooser agree on what expired. */
    AofOutput(OutputStream out, int newestVersion, boolean valkey, long bigKeyBytes, int batchElements, long now) {
        commands = new RespFileCommands(out);
        TargetFeatures features = valkey ? TargetFeatures.of("valkey", "9.0.0", false, false)
                : TargetFeatures.of("redis", redisRelease(newestVersion), false, false);
        // FAIL: each key reaches the file once (the chooser settles conflicts), so no DEL before it;
        // rename not allowed: keys are written in place, there is no reader to hide them from.
        ConvertOptions opt = new ConvertOptions(ConflictPolicy.FAIL, bigKeyBytes, batchElements, 1 << 20, true, false);
        converter = new SnapshotConverter(features, opt, commands, stats, IntUnaryOperator.identity(), () -> now);
    }

    /** The oldest Redis release that loads every type of this RDB version: the commands the AOF may use. */
    static String redisRelease(int rdbVersion) {
        return rdbVersion >= 14 ? "8.8.0" : rdbVersion == 13 ? "8.6.0" : rdbVersion == 12 ? "7.4.0" : "7.0.0";
    }

    ConvertStats stats() {
        return stats;
    }

    @Override
    public boolean rawValues() {
        return true;
    }

    @Override
    public ValueSink beginKey(KeyHeader h) {
        return converter.beginKey(h);
    }

    @Override
    public void endKey(KeyHeader h, RawValue raw) {
        if (raw.isEmptyCollection()) { // checked here so that the converter counts as empty only keys it counted as typed
            empty++;
            raw.release();
            return;
        }
        converter.endKey(h, raw);
    }

    @Override
    public void function(byte[] code) {
        converter.function(code);
    }

    @Override
    public long keysWritten() {
        return stats.setKeys.sum() + stats.typedKeys.sum() - stats.emptyKeys.sum();
    }

    @Override
    public long keysEmpty() {
        return empty + stats.emptyKeys.sum();
    }

    @Override
    public void finish() {
        converter.end();
        commands.flush();
    }
}
