package io.ferry.sink.file;

import io.ferry.check.KeyHash;
import io.ferry.check.KeyHashSet;
import io.ferry.convert.ConflictPolicy;
import io.ferry.rdb.RdbReader;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides which copy of a key reaches the file when several inputs hold it (or --db-map merges
 * two dbs): a file cannot hold a key twice (a server refuses an RDB with a duplicate). Keys are
 * remembered as 64-bit hashes of (target db, key), 8 bytes each, so two different keys are
 * taken for one with a probability of about n²/2^65 (below 1 in 3,000 for 100 million keys).
 * Function libraries take part under db -1 and their library name.
 */
final class Occurrences {
    static final int FUNCTIONS = -1;

    /** What becomes of one copy. */
    enum Decision { WRITE, SKIP, SUPERSEDED }

    private final ConflictPolicy policy;
    private final boolean possible;
    private final KeyHashSet seen;
    // replace: for keys held more than once only, how many copies are still to come (the last one is written)
    private final Map<Long, Integer> copiesLeft = new HashMap<>();

    /**
     * {@code possible}: false when no key can come twice (one input, dbs not merged: an RDB holds
     * a key once per db), which spares the set and its memory.
     */
    Occurrences(ConflictPolicy policy, boolean possible) {
        this.policy = policy;
        this.possible = possible;
        this.seen = possible ? new KeyHashSet() : null;
    }

    /** Whether the inputs must be counted first ({@link #count}): the last copy wins only under replace. */
    boolean needsCount() {
        return possible && policy == ConflictPolicy.REPLACE;
    }

    /** First pass (replace): one more copy of this key. */
    void count(int db, byte[] key) {
        long h = KeyHash.of(db, key);
        if (seen.contains(h)) {
            copiesLeft.merge(h, 2, (n, one) -> n + 1);
        } else {
            seen.add(h);
        }
    }

    /** Second (or only) pass: what to do with this copy; under fail a second copy throws. */
    Decision decide(int db, byte[] key) {
        if (!possible) {
            return Decision.WRITE;
        }
        long h = KeyHash.of(db, key);
        if (policy == ConflictPolicy.REPLACE) {
            Integer left = copiesLeft.get(h);
            if (left == null) {
                return Decision.WRITE;
            }
            if (left > 1) {
                copiesLeft.put(h, left - 1);
                return Decision.SUPERSEDED;
            }
            copiesLeft.remove(h);
            return Decision.WRITE;
        }
        if (!seen.contains(h)) {
            seen.add(h);
            return Decision.WRITE;
        }
        if (policy == ConflictPolicy.SKIP) {
            return Decision.SKIP;
        }
        String what = db == FUNCTIONS ? "function library '" + RdbReader.printable(key) + "'"
                : "key '" + RdbReader.printable(key) + "' in db " + db;
        throw new IllegalArgumentException(what + " is in the output already (from an earlier file or db); "
                + "--on-conflict replace keeps the last copy, skip the first");
    }

    /**
     * A function library's name from the first line of its code ({@code #!lua name=lib}), the
     * identity FUNCTION LOAD checks; the whole code when it names none.
     */
    static byte[] libraryName(byte[] code) {
        int end = 0;
        while (end < code.length && code[end] != '\n') {
            end++;
        }
        String first = new String(code, 0, end, java.nio.charset.StandardCharsets.UTF_8);
        for (String part : first.split("\\s+")) {
            if (part.startsWith("name=")) {
                return part.substring(5).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return code;
    }
}
