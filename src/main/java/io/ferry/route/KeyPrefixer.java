package io.ferry.route;

import io.ferry.filter.DbMap;
import java.nio.charset.StandardCharsets;
import java.util.function.IntPredicate;

/**
 * Rewrites a stream command of a source db listed in {@code --db-prefix}: every key argument gets
 * that db's prefix, and the commands that move keys between dbs (MOVE, COPY … DB, SWAPDB, FLUSHDB)
 * are expressed on the shared target db 0 or refused. The key positions are those of
 * {@link CommandTable}; a command whose keys Ferry cannot tell is refused, never sent unprefixed.
 * Db numbers are left as the source wrote them: {@link DbArguments} maps them next.
 */
public final class KeyPrefixer {
    /** A command that cannot be written under the prefixes; the message is one line naming it. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private KeyPrefixer() {}

    /**
     * {@code argv} as it is written to the target, issued in source db {@code db}: the same array
     * when no prefix concerns it.
     */
    public static byte[][] rewrite(byte[][] argv, int db, DbMap map, IntPredicate dbAccepted) {
        if (!map.prefixes()) {
            return argv;
        }
        String name = CommandTable.name(argv);
        switch (name) {
            case "MOVE":
                return move(argv, db, map, dbAccepted);
            case "SWAPDB":
                if (argv.length == 3 && (map.prefix(parse(argv[1])) != null || map.prefix(parse(argv[2])) != null)) {
                    throw new Refused("SWAPDB " + str(argv[1]) + " " + str(argv[2]) + " cannot be expressed on the target: a db of --db-prefix shares target db 0 with the others");
                }
                return argv;
            case "FLUSHDB":
                if (map.prefix(db) != null || map.applyAsInt(db) == 0) {
                    throw new Refused("FLUSHDB in source db " + db + " cannot be expressed on the target: with --db-prefix its keys share target db 0 with other dbs' keys");
                }
                return argv;
            case "COPY":
                return copy(argv, db, map);
            default:
                break;
        }
        byte[] p = map.prefix(db);
        if (p == null || p.length == 0) {
            return argv;
        }
        int[] at = positions(argv);
        if (at == null) {
            throw new Refused(name + " in source db " + db + ": Ferry cannot tell all of its keys, so it cannot prefix them with '"
                    + new String(p, StandardCharsets.UTF_8) + "'");
        }
        if (at.length == 0) {
            return argv;
        }
        byte[][] out = argv.clone();
        for (int i : at) {
            out[i] = DbMap.concat(p, argv[i]);
        }
        return out;
    }

    /** MOVE key db: a move between two dbs written into target db 0 is a rename there (both keep the TTL; both fail on an existing name). */
    private static byte[][] move(byte[][] argv, int db, DbMap map, IntPredicate dbAccepted) {
        if (argv.length != 3) {
            throw new Refused("MOVE with " + (argv.length - 1) + " arguments: Ferry cannot tell its key");
        }
        int to = parse(argv[2]);
        byte[] key = map.targetKey(db, argv[1]);
        if (!dbAccepted.test(to) || map.applyAsInt(to) != map.applyAsInt(db) && same(map.prefix(db), map.prefix(to))) {
            return new byte[][] {argv[0], key, argv[2]}; // left out (a DEL) or moved under one name between target dbs
        }
        if (map.applyAsInt(to) == map.applyAsInt(db)) {
            byte[] dest = map.targetKey(to, argv[1]);
            return java.util.Arrays.equals(dest, key) ? new byte[][] {argv[0], key, argv[2]} : new byte[][] {b("RENAMENX"), key, dest};
        }
        throw new Refused("MOVE from source db " + db + " to db " + to + " cannot be expressed on the target: it would change both the key's target db and its --db-prefix");
    }

    /** COPY src dst [DB n] [REPLACE]: the destination takes the prefix of its own db. */
    private static byte[][] copy(byte[][] argv, int db, DbMap map) {
        if (argv.length < 3) {
            throw new Refused("COPY with " + (argv.length - 1) + " arguments: Ferry cannot tell its keys");
        }
        int to = db;
        for (int i = 3; i + 1 < argv.length; i++) {
            if (str(argv[i]).equalsIgnoreCase("DB")) {
                to = parse(argv[i + 1]);
            }
        }
        byte[][] out = argv.clone();
        out[1] = map.targetKey(db, argv[1]);
        out[2] = map.targetKey(to, argv[2]);
        return out;
    }

    /** Where the keys of {@code argv} are: none (an empty array), or null when Ferry cannot tell. */
    static int[] positions(byte[][] argv) {
        CommandTable.Command cmd = CommandTable.lookup(argv[0]);
        switch (cmd.kind()) {
            case IGNORE, SELECT, MULTI, EXEC:
                return new int[0];
            case SINGLE_KEY:
                return range(argv, 1, 2, 1);
            case SUBCOMMAND_KEY:
                return range(argv, 2, 3, 1);
            case SPLIT_KEYS:
                return range(argv, 1, argv.length, 1);
            case SPLIT_PAIRS:
                return pairs(argv, 1);
            case UNKNOWN:
                return null;
            default:
                break;
        }
        switch (cmd.name()) {
            case "FLUSHDB", "FLUSHALL", "SWAPDB", "SCRIPT", "FUNCTION":
                return new int[0];
            case "RENAME", "RENAMENX", "SMOVE", "RPOPLPUSH", "LMOVE", "BLMOVE", "BRPOPLPUSH", "ZRANGESTORE", "GEOSEARCHSTORE":
                return argv.length < 3 ? null : new int[] {1, 2};
            case "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "PFMERGE":
                return range(argv, 1, argv.length, 1);
            case "MSETNX":
                return pairs(argv, 1);
            case "BITOP":
                return range(argv, 2, argv.length, 1);
            case "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE": {
                int[] sources = counted(argv, 2);
                return sources == null ? null : join(1, sources);
            }
            case "LMPOP", "ZMPOP":
                return counted(argv, 1);
            case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO": {
                int[] keys = counted(argv, 2);
                return keys == null || keys.length == 0 ? null : keys; // a script declaring no key may write any key
            }
            case "SORT":
                return sort(argv);
            case "GEORADIUS", "GEORADIUSBYMEMBER":
                return store(argv);
            default:
                return null; // MSETEX and any barrier added later: refused until its keys are listed here
        }
    }

    /** SORT key … STORE dest; BY and GET patterns name other keys, which a prefix cannot follow with certainty. */
    private static int[] sort(byte[][] argv) {
        for (int i = 2; i < argv.length; i++) {
            String a = str(argv[i]);
            if (a.equalsIgnoreCase("BY") || a.equalsIgnoreCase("GET")) {
                return null;
            }
            if (a.equalsIgnoreCase("LIMIT")) {
                i += 2;
            }
        }
        return store(argv);
    }

    /** The key at 1 and the destination after STORE / STOREDIST. */
    private static int[] store(byte[][] argv) {
        if (argv.length < 2) {
            return null;
        }
        int dest = -1;
        for (int i = 2; i + 1 < argv.length; i++) {
            String a = str(argv[i]);
            if (a.equalsIgnoreCase("STORE") || a.equalsIgnoreCase("STOREDIST")) {
                dest = ++i;
            }
        }
        return dest < 0 ? new int[] {1} : new int[] {1, dest};
    }

    private static int[] range(byte[][] argv, int first, int end, int step) {
        int e = Math.min(end, argv.length);
        int n = Math.max(0, (e - first + step - 1) / step);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = first + i * step;
        }
        return r;
    }

    private static int[] pairs(byte[][] argv, int first) {
        return (argv.length - first) % 2 != 0 ? null : range(argv, first, argv.length, 2);
    }

    /** {@code numkeys key...} with numkeys at {@code at}; null when numkeys is not a count the argv holds. */
    private static int[] counted(byte[][] argv, int at) {
        if (argv.length <= at) {
            return null;
        }
        int n = parse(argv[at]);
        return n < 0 || at + 1 + n > argv.length ? null : range(argv, at + 1, at + 1 + n, 1);
    }

    private static int[] join(int first, int[] rest) {
        int[] r = new int[rest.length + 1];
        r[0] = first;
        System.arraycopy(rest, 0, r, 1, rest.length);
        return r;
    }

    private static boolean same(byte[] a, byte[] b) {
        return a == null || a.length == 0 ? b == null || b.length == 0 : java.util.Arrays.equals(a, b);
    }

    private static int parse(byte[] n) {
        try {
            return Integer.parseInt(str(n));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String str(byte[] a) {
        return new String(a, StandardCharsets.US_ASCII);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
