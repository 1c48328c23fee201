package io.ferry.filter;

import io.ferry.rdb.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which keys take part: by db, key pattern (include and exclude globs) and type. Empty criteria
 * accept everything. Shared by decode, restore, sync and check.
 */
public final class KeyFilter {
    public static final KeyFilter ALL = new KeyFilter(Set.of(), List.of(), List.of(), Set.of());

    private final Set<Integer> dbs;
    private final List<Glob> include;
    private final List<Glob> exclude;
    private final Set<ValueType> types;
    private final java.util.function.Predicate<byte[]> owned; // null: every key; else only the keys a shard owns
    private final String ownedBy;

    public KeyFilter(Set<Integer> dbs, List<String> includeGlobs, List<String> excludeGlobs, Set<ValueType> types) {
        this.dbs = new TreeSet<>(dbs);
        this.include = globs(includeGlobs);
        this.exclude = globs(excludeGlobs);
        this.types = types.isEmpty() ? EnumSet.noneOf(ValueType.class) : EnumSet.copyOf(types);
        this.owned = null;
        this.ownedBy = null;
    }

    private KeyFilter(KeyFilter f, java.util.function.Predicate<byte[]> owned, String ownedBy) {
        this.dbs = f.dbs;
        this.include = f.include;
        this.exclude = f.exclude;
        this.types = f.types;
        this.owned = owned;
        this.ownedBy = ownedBy;
    }

    /**
     * This filter, further limited to the keys {@code owned} accepts (a twemproxy backend read as a
     * source: the keys the pool's hashing puts there; others were written around the proxy).
     */
    public KeyFilter ownedBy(java.util.function.Predicate<byte[]> owned, String description) {
        return new KeyFilter(this, owned, description);
    }

    private static List<Glob> globs(List<String> patterns) {
        List<Glob> out = new ArrayList<>();
        for (String s : patterns) {
            out.add(new Glob(s.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    public boolean acceptsDb(int db) {
        return dbs.isEmpty() || dbs.contains(db);
    }

    public boolean acceptsKey(byte[] key) {
        if (owned != null && !owned.test(key)) {
            return false;
        }
        if (!include.isEmpty()) {
            boolean any = false;
            for (Glob g : include) {
                if (g.matches(key)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        for (Glob g : exclude) {
            if (g.matches(key)) {
                return false;
            }
        }
        return true;
    }

    public boolean acceptsType(ValueType t) {
        return types.isEmpty() || types.contains(t);
    }

    public boolean accepts(int db, byte[] key, ValueType type) {
        return acceptsDb(db) && acceptsType(type) && acceptsKey(key);
    }

    /**
     * The include pattern when there is exactly one (a server can then filter with SCAN MATCH; excludes still apply
     * here), else null.
     */
    public byte[] singleIncludeGlob() {
        return include.size() == 1 ? include.get(0).pattern() : null;
    }

    /** Whether some types are selected (an empty type selection accepts every type). */
    public boolean filtersTypes() {
        return !types.isEmpty();
    }

    /** The criteria in a stable text form (what a checkpoint records of the filter that shaped the target). */
    public String describe() {
        if (acceptsEverything()) {
            return "all keys";
        }
        StringBuilder b = new StringBuilder();
        if (!dbs.isEmpty()) {
            b.append("db ").append(dbs).append(' ');
        }
        for (Glob g : include) {
            b.append("key ").append(new String(g.pattern(), StandardCharsets.UTF_8)).append(' ');
        }
        for (Glob g : exclude) {
            b.append("exclude-key ").append(new String(g.pattern(), StandardCharsets.UTF_8)).append(' ');
        }
        if (!types.isEmpty()) {
            b.append("type ").append(types.stream().map(ValueType::label).toList()).append(' ');
        }
        if (ownedBy != null) {
            b.append("owned by ").append(ownedBy);
        }
        return b.toString().trim();
    }

    public boolean acceptsEverything() {
        return dbs.isEmpty() && include.isEmpty() && exclude.isEmpty() && types.isEmpty() && owned == null;
    }
}
