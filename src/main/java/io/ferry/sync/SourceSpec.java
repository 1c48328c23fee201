package io.ferry.sync;

import io.ferry.resp.RedisUri;
import io.ferry.route.twemproxy.Pool;
import io.ferry.route.twemproxy.PoolReader;

/** What {@code --source} names: a server (or any node of a cluster), or a twemproxy pool read on its backends. */
public sealed interface SourceSpec {
    static SourceSpec parse(String s) {
        return s.startsWith("twemproxy:") ? new Twemproxy(PoolReader.parseSpec(s)) : new Server(RedisUri.parse(s));
    }

    String redacted();

    record Server(RedisUri uri) implements SourceSpec {
        @Override
        public String redacted() {
            return uri.redacted();
        }
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
