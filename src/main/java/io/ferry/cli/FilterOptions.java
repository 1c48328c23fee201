package io.ferry.cli;

import io.ferry.config.TomlDefaults;
import io.ferry.filter.KeyFilter;
import io.ferry.rdb.ValueType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The key selection options shared by every command that reads keys. */
public final class FilterOptions {
    @Option(names = "--db", split = ",", paramLabel = "N", description = "Only these databases (repeatable or comma-separated).")
    List<Integer> dbs = new ArrayList<>();

    // Globs may contain any separator: LIST_SPLIT never splits a command-line value but lets a config file give a list.
    @Option(names = "--key", paramLabel = "GLOB", split = TomlDefaults.LIST_SPLIT, hideParamSyntax = true,
            description = "Only keys matching this Redis-style glob (repeatable: any may match).")
    List<String> keys = new ArrayList<>();

    @Option(names = "--exclude-key", paramLabel = "GLOB", split = TomlDefaults.LIST_SPLIT, hideParamSyntax = true,
            description = "Leave out keys matching this glob (repeatable).")
    List<String> excludeKeys = new ArrayList<>();

    @Option(names = "--type", split = ",", paramLabel = "TYPE", description = "Only these types: string, list, set, zset, hash, stream, module, array.")
    List<String> types = new ArrayList<>();

    public KeyFilter toFilter() {
        Set<ValueType> ts = EnumSet.noneOf(ValueType.class);
        for (String t : types) {
            ts.add(ValueType.parse(t));
        }
        for (int db : dbs) {
            if (db < 0) {
                throw new IllegalArgumentException("--db " + db + ": database numbers are not negative");
            }
        }
        return new KeyFilter(new HashSet<>(dbs), keys, excludeKeys, ts);
    }
}
