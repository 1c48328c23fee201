package io.ferry.source.pika.transfer;

import java.io.IOException;

/** kRsyncMeta kept answering kErr: the master has no such db, or its BGSAVE did not finish within the wait. */
public final class SnapshotRefusedException extends IOException {
    private final String db;

    public SnapshotRefusedException(String db, java.time.Duration waited) {
        super("Pika master's RsyncService refused db '" + db + "' (kErr, no snapshot after waiting " + waited.toSeconds()
                + " s): the db does not exist on the master or its dump is not ready — check `databases` and that DBSync was sent");
        this.db = db;
    }

    public String db() { return db; }
}
