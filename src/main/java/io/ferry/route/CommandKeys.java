package io.ferry.route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of a command that is not routed by one key ({@link CommandTable.Kind#BARRIER} and the
 * split kinds), for a target whose keys live on several nodes: such a command runs where its keys
 * are, or on every node when it names none.
 */
public final class CommandKeys {
    /** The command names no key (FLUSHALL, SCRIPT, FUNCTION, SWAPDB): it belongs on every node. */
    public static final List<byte[]> NONE = List.of();

    private CommandKeys() {}

    /** Its keys, {@link #NONE}, or null when Ferry cannot tell them (a command it does not know, a script declaring no key). */
    public static List<byte[]> of(byte[][] argv) {
        String name = CommandTable.name(argv);
        switch (name) {
            case "FLUSHDB", "FLUSHALL", "SWAPDB", "SCRIPT", "FUNCTION":
                return NONE;
            case "MOVE":
                return from(argv, 1, 2, 1);
            case "COPY", "RENAME", "RENAMENX", "SMOVE", "RPOPLPUSH", "LMOVE", "BLMOVE", "BRPOPLPUSH", "ZRANGESTORE", "GEOSEARCHSTORE":
                return from(argv, 1, 3, 1);
            case "DEL", "UNLINK", "TOUCH", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "PFMERGE":
                return from(argv, 1, argv.length, 1);
            case "MSET", "MSETNX":
                return from(argv, 1, argv.length, 2);
            case "BITOP":
                return from(argv, 2, argv.length, 1);
            case "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE": {
                List<byte[]> keys = from(argv, 1, 2, 1);
                keys.addAll(counted(argv, 2));
                return keys.size() > 1 ? keys : null;
            }
            case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "LMPOP", "ZMPOP": {
                List<byte[]> keys = counted(argv, name.startsWith("E") || name.startsWith("F") ? 2 : 1);
                return keys.isEmpty() ? null : keys; // a script without declared keys may write any key
            }
            case "SORT", "GEORADIUS", "GEORADIUSBYMEMBER": {
                List<byte[]> keys = from(argv, 1, 2, 1);
                for (int i = 2; i + 1 < argv.length; i++) {
                    String a = new String(argv[i], StandardCharsets.US_ASCII);
                    if (a.equalsIgnoreCase("STORE") || a.equalsIgnoreCase("STOREDIST")) {
                        keys.add(argv[i + 1]);
                    }
                }
                return keys;
            }
            default:
                return null;
        }
    }

    private static List<byte[]> from(byte[][] argv, int first, int end, int step) {
        List<byte[]> keys = new ArrayList<>();
        for (int i = first; i < Math.min(end, argv.length); i += step) {
            keys.add(argv[i]);
        }
        return keys;
    }

    /** {@code numkeys key...} with numkeys at {@code at}. */
    private static List<byte[]> counted(byte[][] argv, int at) {
        if (argv.length <= at) {
            return new ArrayList<>();
        }
        int n;
        try {
            n = Integer.parseInt(new String(argv[at], StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return new ArrayList<>();
        }
        return from(argv, at + 1, at + 1 + Math.max(0, n), 1);
    }
}
