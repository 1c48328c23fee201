package io.ferry.rdb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The dbs an RDB file holds keys in, read without decoding a value: a restore checks them against
 * the target before its first write (a file can name its last db at its very end).
 */
public final class RdbDbs {
    private RdbDbs() {}

    public static BitSet of(Path file) throws IOException {
        BitSet dbs = new BitSet();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            new RdbReader(in).read(new RdbHandler() {
                @Override
                public void selectDb(int db) {
                    dbs.set(db);
                }

                @Override
                public ValueSink beginKey(KeyHeader h) {
                    return null; // skipped undecoded
                }
            });
        }
        return dbs;
    }
}
