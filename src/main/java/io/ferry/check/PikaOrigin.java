package io.ferry.check;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.Reply;
import io.ferry.resp.TlsOptions;
import io.ferry.source.pika.snapshot.TypeConflictPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Pika server as the source of a check: its generation (which decides how keys are listed and read, see
 * {@link PikaScanner} and {@link PikaReader}), its dbs, and the same-name policy the sync used.
 *
 * @param dbs the dbs of the server, from {@code INFO replication} ({@code db0 binlog_offset=…} on 3.x,
 *     {@code db0:binlog_offset=…} on 3.5/4.0): Pika's {@code INFO keyspace} has no Redis-style lines and is empty
 *     until {@code INFO keyspace 1} ran
 */
public record PikaOrigin(Generation generation, String version, TypeConflictPolicy policy, List<Integer> dbs) {
    /** Pika generations, as far as the Redis-protocol surface differs (PIKA.md §10, §11; the 3.5.5 and 4.0.1 discrepancy lists). */
    public enum Generation {
        /** 3.0–3.4: several types per name, no {@code SCAN … TYPE} (SCANX instead), no streams, PTTL = TTL × 1000. */
        V3_3,
        /** 3.5: several types per name, {@code SCAN … TYPE}, streams invisible to TYPE/TTL/EXISTS, PTTL = TTL × 1000. */
        V3_5,
        /** 4.0: one type per name, TYPE of a stream answers {@code streams}, TTL 0 for names that do not exist. */
        V4;

        boolean multiType() {
            return this != V4;
        }

        boolean streams() {
            return this != V3_3;
        }

        static Generation of(String version) {
            String[] p = version.trim().split("\\.");
            int major = Integer.parseInt(p[0]);
            int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            if (major >= 4) {
                return V4;
            }
            if (major == 3 && minor >= 5) {
                return V3_5;
            }
            if (major == 3) {
                return V3_3;
            }
            throw new PikaCheckException(PikaCheckException.Reason.UNSUPPORTED_VERSION,
                    "Pika " + version + " is not supported as a check source (3.0 and later are)");
        }
    }

    private static final Pattern DB_LINE = Pattern.compile("(?m)^db(\\d+)[ :]binlog_offset=");

    /** Asks the server what it is; refuses a server that is not Pika. */
    public static PikaOrigin probe(RedisUri uri, TlsOptions tls, TypeConflictPolicy policy) {
        try (RedisConnection c = RedisConnection.open(uri.withDb(null), tls, Duration.ofSeconds(10))) {
            c.readTimeout(SidePipes.READ_TIMEOUT);
            String version = c.infoField("server", "pika_version");
            if (version == null) {
                throw new PikaCheckException(PikaCheckException.Reason.NOT_PIKA,
                        "the source " + uri.redacted() + " is not a Pika server (INFO server has no pika_version)");
            }
            Reply repl = c.call("INFO", "replication");
            List<Integer> dbs = parseDbs(repl.isError() ? "" : repl.asString());
            return new PikaOrigin(Generation.of(version), version, policy, dbs.isEmpty() ? List.of(0) : dbs);
        }
    }

    static List<Integer> parseDbs(String infoReplication) {
        List<Integer> out = new ArrayList<>();
        Matcher m = DB_LINE.matcher(infoReplication);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    public String describe() {
        return "Pika " + version + " (" + generation + "), --pika-type-conflict " + policy.name().toLowerCase(java.util.Locale.ROOT);
    }
}
