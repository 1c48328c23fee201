package io.ferry.filter;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/** Source db → target db: identity, one forced db ({@code --target-db}), or explicit pairs ({@code --db-map 0=0,1=5}). */
public final class DbMap implements IntUnaryOperator {
    public static final DbMap IDENTITY = new DbMap(new TreeMap<>(), null);

    private final TreeMap<Integer, Integer> pairs;
    private final Integer forced;

    private DbMap(TreeMap<Integer, Integer> pairs, Integer forced) {
        this.pairs = pairs;
        this.forced = forced;
    }

    public static DbMap forced(int targetDb) {
        return new DbMap(new TreeMap<>(), targetDb);
    }

    public static DbMap of(Map<Integer, Integer> pairs) {
        return new DbMap(new TreeMap<>(pairs), null);
    }

    @Override
    public int applyAsInt(int db) {
        return forced != null ? forced : pairs.getOrDefault(db, db);
    }

    /** A stable text form (what a checkpoint records of the mapping that shaped the target). */
    public String describe() {
        return forced != null ? "target-db " + forced : pairs.isEmpty() ? "same dbs" : "db-map " + pairs;
    }

    @Override
    public String toString() {
        return describe();
    }
}
