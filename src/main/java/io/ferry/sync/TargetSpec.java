package io.ferry.sync;

import io.ferry.resp.RedisUri;
import io.ferry.resp.TlsOptions;
import io.ferry.sink.file.AofFileTarget;
import io.ferry.target.RedisTarget;
import io.ferry.target.Target;
import java.nio.file.Path;

/** What {@code --target} names for a sync: a server, a twemproxy pool's backends, or an AOF file. A new kind of target adds a case here. */
public sealed interface TargetSpec permits TargetSpec.Server, TargetSpec.AofFile, TargetSpec.Twemproxy {
    /** What the state directory is bound to: no credentials. */
    String identity();

    /** For logs and status: no secrets. */
    String redacted();

    Target open(int lanes);

    static TargetSpec parse(String target, TlsOptions tls) {
        if (target.startsWith("file:")) {
            Path p = Path.of(target.substring("file:".length()));
            if (!p.getFileName().toString().endsWith(".aof")) {
                throw new IllegalArgumentException("--target " + target + ": sync writes a file as an AOF (file:PATH.aof); "
                        + "for an RDB of a live server use ferry dump, for .rdb/.jsonl files ferry restore");
            }
            return new AofFile(p);
        }
        if (target.startsWith("twemproxy:")) {
            return new Twemproxy(io.ferry.route.twemproxy.PoolReader.parseSpec(target));
        }
        return new Server(RedisUri.parse(target), tls);
    }

    /** A nutcracker pool, written straight to its backends ({@code twemproxy:FILE:POOL}). */
    record Twemproxy(io.ferry.route.twemproxy.Pool pool) implements TargetSpec {
        @Override
        public String identity() {
            return pool.identity();
        }

        @Override
        public String redacted() {
            return pool.describe();
        }

        @Override
        public Target open(int lanes) {
            return io.ferry.target.TwemproxyTarget.open(pool, lanes, 10_000, 64L << 20);
        }
    }

    record Server(RedisUri uri, TlsOptions tls) implements TargetSpec {
        @Override
        public String identity() {
            return uri.identity();
        }

        @Override
        public String redacted() {
            return uri.redacted();
        }

        @Override
        public Target open(int lanes) {
            return io.ferry.target.Targets.open(uri, tls, lanes, 10_000, 64L << 20);
        }
    }

    record AofFile(Path path) implements TargetSpec {
        @Override
        public String identity() {
            return "file:" + path.toAbsolutePath().normalize();
        }

        @Override
        public String redacted() {
            return "file:" + path;
        }

        @Override
        public Target open(int lanes) {
            return AofFileTarget.open(path, lanes);
        }
    }
}
