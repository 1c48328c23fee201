package io.ferry.target;

import io.ferry.convert.TargetFeatures;
import java.util.Set;

/**
 * The commands a Pika target lacks, so a live-stream command it would refuse is caught before it is
 * written (Pika has no COMMAND to ask). Recorded on 3.3.6, 3.5.5 and 4.0.1 as unknown: DUMP, RESTORE,
 * OBJECT, COMMAND, SYNC, PSYNC, REPLCONF. Marked unsupported in Pika's command table (wiki "pika
 * 支持的redis接口及兼容情况"): MIGRATE, MOVE, RANDOMKEY, RENAME, RENAMENX, SORT, TOUCH, WAIT, BITFIELD; it
 * has no scripting at all. Transactions and streams arrived in 3.5.
 */
final class PikaCommands {
    private static final Set<String> NEVER = Set.of("DUMP", "RESTORE", "OBJECT", "COMMAND", "SYNC", "PSYNC", "REPLCONF",
            "MIGRATE", "MOVE", "RANDOMKEY", "RENAME", "RENAMENX", "SORT", "TOUCH", "WAIT", "BITFIELD",
            "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "SCRIPT", "FUNCTION", "FCALL", "FCALL_RO", "COPY", "SWAPDB");
    private static final Set<String> TRANSACTIONS = Set.of("MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH");

    private PikaCommands() {}

    /** Why {@code f} (a Pika) would refuse command {@code name} (upper case), or null. */
    static String refusalOf(TargetFeatures f, String name) {
        boolean lacks = NEVER.contains(name)
                || !f.transactions() && TRANSACTIONS.contains(name)
                || !f.streams() && name.startsWith("X");
        return lacks ? "the target (" + f.describe() + ") has no command " + name : null;
    }
}
