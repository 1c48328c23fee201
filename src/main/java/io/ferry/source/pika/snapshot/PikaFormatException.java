package io.ferry.source.pika.snapshot;

import java.io.IOException;

/** A dump directory or RocksDB row that does not have the documented Pika layout. */
public class PikaFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public PikaFormatException(String message) {
        super(message);
    }

    public PikaFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    static PikaFormatException row(String where, byte[] key, String what) {
        return new PikaFormatException(where + ": " + what + " (key " + Le.hex(key) + ")");
    }
}
