package io.ferry.rdb;

/** Receives the structure of an RDB as the reader walks it, in file order. */
public interface RdbHandler {
    default void header(int rdbVersion, boolean valkeyMagic) {}

    default void aux(byte[] name, byte[] value) {}

    default void selectDb(int db) {}

    default void resizeDb(long dbSize, long expiresSize) {}

    /** A Redis 7 function library (FUNCTION2 opcode): its code. */
    default void function(byte[] code) {}

    default void moduleAux(String moduleName, long moduleId) {}

    /**
     * A key starts. Return a sink for its value, or null to skip the value without decoding it
     * (filtered keys cost only the bytes they take to read).
     */
    ValueSink beginKey(KeyHeader header);

    /**
     * The key's value has been read. {@code raw} is the serialized value (type byte first, as
     * DUMP has it without its footer) when the reader captures values, else null.
     */
    default void endKey(KeyHeader header, RawValue raw) {}

    /** The EOF opcode was reached and the checksum (if any) verified. */
    default void end() {}
}
