package io.ferry.check;

import java.util.List;

/** A batch of keys of one database for a worker. {@code preset}: the source states, when the source is a file. */
record Task(Mode mode, int db, List<byte[]> keys, KeyState[] preset, io.ferry.source.pika.snapshot.PikaType pikaType) {
    Task(Mode mode, int db, List<byte[]> keys, KeyState[] preset) {
        this(mode, db, keys, preset, null);
    }

    enum Mode {
        /** Names of one type ({@code pikaType}) listed on a Pika source: compared under their target names. */
        PIKA_SOURCE_SCAN,
        /** Target keys a Pika source scan did not produce: resolved on the source and compared. */
        PIKA_TARGET_SCAN,
        /** A key that differed, rechecked against a Pika source (not counted again). */
        PIKA_RECHECK,
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
