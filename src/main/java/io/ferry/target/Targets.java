package io.ferry.target;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.resp.TlsOptions;
import io.ferry.target.cluster.ClusterTarget;
import java.time.Duration;

/** Opens the target a {@code redis://} URI names: a standalone server, or the whole cluster one node of it belongs to. */
public final class Targets {
    private Targets() {}

    public static Target open(RedisUri uri, TlsOptions tls, int lanes, int windowCommands, long windowBytes) {
        RedisConnection probe = RedisConnection.open(uri, tls, Duration.ofSeconds(10));
        try {
            if (ClusterTarget.isCluster(probe)) {
                return ClusterTarget.open(uri, tls, probe, lanes, windowCommands, windowBytes);
            }
            return RedisTarget.open(uri, tls, probe, lanes, windowCommands, windowBytes);
        } catch (RuntimeException e) {
            probe.close();
            throw e;
        }
    }
}
