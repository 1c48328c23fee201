package io.ferry.check;

import java.util.Arrays;

/** A key together with its database; equal by content. */
public final class DbKey implements Comparable<DbKey> {
    public final int db;
    public final byte[] key;
    private final int hash;

    public DbKey(int db, byte[] key) {
        this.db = db;
        this.key = key;
        this.hash = 31 * Arrays.hashCode(key) + db;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DbKey k && k.db == db && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(DbKey o) {
        int c = Integer.compare(db, o.db);
        return c != 0 ? c : Arrays.compareUnsigned(key, o.key);
    }

    @Override
    public String toString() {
        return db + ":" + io.ferry.rdb.RdbReader.printable(key);
    }
}
