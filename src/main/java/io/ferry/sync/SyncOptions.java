package io.ferry.sync;

import io.ferry.convert.ConflictPolicy;
import io.ferry.filter.KeyFilter;
import io.ferry.resp.RedisUri;
import io.ferry.resp.TlsOptions;
import io.ferry.target.OnError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntUnaryOperator;

/** Everything a sync run needs to know, resolved from the command line and config file. */
public record SyncOptions(
        RedisUri source,
        TlsOptions sourceTls,
        TargetSpec target,
        Path stateDir,
        ConflictPolicy onConflict,
        OnError onError,
        int lanes,
        KeyFilter filter,
        IntUnaryOperator dbMap,
        boolean noSecondFullSync,
        long spoolMaxBytes,
        long bigKeyBytes,
        Duration ackInterval,
        int listeningPort,
        /** How long a lost target is retried before the run stops. */
        Duration targetReconnectFor,
        /** A module value the target cannot take: stop, or leave the key out and count it. */
        io.ferry.convert.OnUnsupported onUnsupported,
        /** The operator accepts at-least-once into a target without transactions (Pika 3.3): a crash may re-apply a batch. */
        boolean targetAtLeastOnce) {
    public SyncOptions(RedisUri source, TlsOptions sourceTls, TargetSpec target, Path stateDir, ConflictPolicy onConflict, OnError onError, int lanes,
            KeyFilter filter, IntUnaryOperator dbMap, boolean noSecondFullSync, long spoolMaxBytes, long bigKeyBytes, Duration ackInterval,
            int listeningPort, Duration targetReconnectFor, io.ferry.convert.OnUnsupported onUnsupported) {
        this(source, sourceTls, target, stateDir, onConflict, onError, lanes, filter, dbMap, noSecondFullSync, spoolMaxBytes, bigKeyBytes, ackInterval,
                listeningPort, targetReconnectFor, onUnsupported, false);
    }

    public SyncOptions(RedisUri source, TlsOptions sourceTls, TargetSpec target, Path stateDir, ConflictPolicy onConflict, OnError onError, int lanes,
            KeyFilter filter, IntUnaryOperator dbMap, boolean noSecondFullSync, long spoolMaxBytes, long bigKeyBytes, Duration ackInterval,
            int listeningPort, Duration targetReconnectFor) {
        this(source, sourceTls, target, stateDir, onConflict, onError, lanes, filter, dbMap, noSecondFullSync, spoolMaxBytes, bigKeyBytes, ackInterval,
                listeningPort, targetReconnectFor, io.ferry.convert.OnUnsupported.FAIL);
    }

    /** These options for one partition of a run: its source, its state dir, its key filter. */
    public SyncOptions forPartition(RedisUri partitionSource, Path partitionStateDir, KeyFilter partitionFilter) {
        return new SyncOptions(partitionSource, sourceTls, target, partitionStateDir, onConflict, onError, lanes, partitionFilter, dbMap,
                noSecondFullSync, spoolMaxBytes, bigKeyBytes, ackInterval, listeningPort, targetReconnectFor, onUnsupported, targetAtLeastOnce);
    }
}
