package io.ferry.cli;

import io.ferry.status.StatusServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the status port of a sync run (nothing when no port is asked for). */
final class StatusEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(StatusEndpoint.class);

    private StatusEndpoint() {}

    static AutoCloseable start(String host, Integer port, io.ferry.sync.SyncCoordinator session) throws java.io.IOException {
        if (port == null) {
            return () -> {};
        }
        StatusServer server = StatusServer.start(host, port, session::status);
        LOG.info("status on {}:{} (HTTP /status and /metrics, and INFO over RESP)", host, server.port());
        return server;
    }
}
