package io.ferry.source.pika;

import io.ferry.convert.TargetFeatures;
import io.ferry.source.pika.binlog.PikaGeneration;
import io.ferry.source.pika.binlog.PikaTranslator;
import io.ferry.source.pika.binlog.TargetCaps;
import io.ferry.source.pika.binlog.TypeNames;
import io.ferry.source.pika.snapshot.TypeConflictPolicy;
import java.util.function.LongSupplier;

/**
 * One db of a Pika master as a sync partition: where the master is (its client port; replication
 * is on port + 2000, the 3.5/4.0 dump service on port + 10001), its version, the db, the port this
 * replica announces (3.x pushes its dump to that port + 1000) and the same-name policy.
 */
public record PikaSource(String host, int port, String password, String version, PikaGeneration generation, String dbName, int dbIndex,
        TypeConflictPolicy typeConflict, int replicaPort) {
    /** What the checkpoint is valid for: this master and db (never the password). */
    public String identity() {
        return "pika://" + host + ":" + port + "/" + dbName;
    }

    /** For logs and status: no password. */
    public String describe() {
        return "pika " + version + " " + host + ":" + port + " " + dbName;
    }

    public PikaTranslator translator(TargetFeatures target, TypeNames names, LongSupplier nowMs) {
        TargetCaps caps = switch (target.product()) {
            case "valkey" -> new TargetCaps(7, 2); // every Valkey has what Redis 7.2 has
            case "pika" -> new TargetCaps(target.major(), target.minor(), true);
            default -> new TargetCaps(target.major(), target.minor());
        };
        return new PikaTranslator(generation, caps, names, nowMs);
    }
}
