package io.ferry.sync;

import io.ferry.resp.RedisUri;
import io.ferry.route.twemproxy.Pool;
import io.ferry.route.twemproxy.PoolReader;

/** What {@code --source} names: a server (or any node of a cluster), or a twemproxy pool read on its backends. */
public sealed interface SourceSpec {
    static SourceSpec parse(String s) {
        if (s.startsWith("pika://")) {
            String rest = s.substring("pika://".length());
            String hostPart = rest.substring(rest.lastIndexOf('@') + 1).split("/", 2)[0];
            boolean hasPort = hostPart.startsWith("[") ? hostPart.contains("]:") : hostPart.contains(":");
            RedisUri u = RedisUri.parse("redis://" + rest);
            return new Pika(hasPort ? u : u.atNode(u.host() + ":" + Pika.DEFAULT_PORT), PikaOptions.DEFAULTS);
        }
        return s.startsWith("twemproxy:") ? new Twemproxy(PoolReader.parseSpec(s)) : new Server(RedisUri.parse(s));
    }

    String redacted();

    record Server(RedisUri uri) implements SourceSpec {
        @Override
        public String redacted() {
            return uri.redacted();
        }
    }

    /** A Pika master (its client port, 9221 by default): one partition per db, synced over Pika's own replication protocol. */
    record Pika(RedisUri uri, PikaOptions options) implements SourceSpec {
        public static final int DEFAULT_PORT = 9221;

        @Override
        public String redacted() {
            return "pika://" + uri.redacted().replaceFirst("^redis://", "");
        }

        public Pika with(PikaOptions o) {
            return new Pika(uri, o);
        }
    }

    /** How a Pika source is read: the same-name policy, the replica port to announce (0: a free one). */
    record PikaOptions(io.ferry.source.pika.snapshot.TypeConflictPolicy typeConflict, int replicaPort) {
        public static final PikaOptions DEFAULTS = new PikaOptions(io.ferry.source.pika.snapshot.TypeConflictPolicy.FIRST, 0);
    }

    /** Every backend of the pool is a partition; a backend's keys that the pool's hashing puts elsewhere are left out (and counted). */
    record Twemproxy(Pool pool) implements SourceSpec {
        @Override
        public String redacted() {
            return pool.describe();
        }

        RedisUri backend(int i) {
            var s = pool.servers().get(i);
            return new RedisUri(s.host(), s.port(), null, pool.redisAuth(), null, false);
        }
    }
}
