package io.ferry.route;

import java.nio.charset.StandardCharsets;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Commands whose arguments name a db — {@code MOVE key db}, {@code COPY src dst DB n},
 * {@code SWAPDB a b} — rewritten for the target's db numbering ({@code --db-map},
 * {@code --target-db}) and the db filter. SELECT is mapped where batches are built; these
 * arguments are not, and forwarding them as they are moved keys into the wrong target db.
 */
public final class DbArguments {
    private DbArguments() {}

    /**
     * The command to send for {@code argv}, issued in source db {@code currentDb}; the same array
     * when nothing changes, or null when it has no effect on the keys being synced.
     */
    public static byte[][] map(byte[][] argv, int currentDb, IntUnaryOperator dbMap, IntPredicate dbAccepted) {
        String name = CommandTable.name(argv);
        switch (name) {
            case "MOVE": {
                if (argv.length != 3) {
                    return argv;
                }
                int to = parse(argv[2]);
                if (!dbAccepted.test(to)) {
                    return new byte[][] {b("DEL"), argv[1]}; // the key leaves the synced dbs
                }
                if (dbMap.applyAsInt(to) == dbMap.applyAsInt(currentDb)) {
                    return null; // both dbs land in one target db: the key stays where it is
                }
                return new byte[][] {argv[0], argv[1], b(Integer.toString(dbMap.applyAsInt(to)))};
            }
            case "COPY": {
                for (int i = 3; i + 1 < argv.length; i++) {
                    if (new String(argv[i], StandardCharsets.US_ASCII).equalsIgnoreCase("DB")) {
                        int to = parse(argv[i + 1]);
                        if (!dbAccepted.test(to)) {
                            return null; // a copy into a db that is not synced
                        }
                        byte[][] out = argv.clone();
                        out[i + 1] = b(Integer.toString(dbMap.applyAsInt(to)));
                        return out;
                    }
                }
                return argv;
            }
            case "SWAPDB": {
                if (argv.length != 3) {
                    return argv;
                }
                int a = dbMap.applyAsInt(parse(argv[1]));
                int c = dbMap.applyAsInt(parse(argv[2]));
                return a == c ? null : new byte[][] {argv[0], b(Integer.toString(a)), b(Integer.toString(c))};
            }
            default:
                return argv;
        }
    }

    private static int parse(byte[] db) {
        try {
            return Integer.parseInt(new String(db, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1; // the source accepted it, so this cannot happen; -1 matches no db filter or map entry
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
