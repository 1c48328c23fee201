package io.ferry.check;

import java.util.List;

/** A batch of keys of one database for a worker. {@code preset}: the source states, when the source is a file. */
record Task(Mode mode, int db, List<byte[]> keys, KeyState[] preset) {
    enum Mode {
        /** Keys scanned on the source server: compare them (at level keys, first screen with EXISTS on the target). */
        SOURCE_SCAN,
        /** Keys scanned on the target while the source is a server: those the source lacks are compared. */
        TARGET_SCAN,
        /** Compare and count as checked (file keys, and target keys a file lacks). */
        COMPARE,
        /** Compare again a key that differed in the previous round (not counted again). */
        RECHECK
    }
}
