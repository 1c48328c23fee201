package io.ferry.convert;

import io.ferry.rdb.KeyHeader;

/** Where a converted key's commands go: the lane of its key, with the meaning of each reply. */
public interface KeyCommands {
    void send(int db, KeyHeader key, byte[][] argv, Expect expect);

    /** A command that writes several keys at once (MSET); success writes every one of them. */
    void sendMany(int db, java.util.List<KeyHeader> keys, byte[][] argv);

    /** Loads a function library ({@code FUNCTION LOAD [REPLACE] code}); "already exists" is a conflict. */
    void sendFunction(byte[][] argv);

    /**
     * Looks {@code key} up on the target before anything of it is written (a target without an
     * atomic conflict check: Pika), waiting for the answer; a name in use is a conflict (counted
     * under skip, the run stops under fail). Returns whether the key may be written.
     */
    default boolean claimAbsent(int db, KeyHeader key) {
        return true;
    }

    /** Throws when an earlier reply has failed the run, so the source stops early. */
    default void checkHealthy() {}
}
