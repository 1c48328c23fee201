package io.ferry.source.pika.transfer;

import java.io.IOException;

/** The master's snapshot_uuid changed during a pull: it made a newer dump; the caller must start over (DBSync + pull). */
public final class SnapshotChangedException extends IOException {
    private final String expectedUuid;
    private final String actualUuid;

    public SnapshotChangedException(String expectedUuid, String actualUuid) {
        super("master's snapshot changed during the pull (snapshot_uuid " + expectedUuid + " -> " + actualUuid + "); start the full sync over");
        this.expectedUuid = expectedUuid;
        this.actualUuid = actualUuid;
    }

    public String expectedUuid() { return expectedUuid; }

    public String actualUuid() { return actualUuid; }
}
