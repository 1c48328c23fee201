package io.ferry.rdb;

/** A value type byte this reader does not know: a newer format than Ferry's, or a corrupt input. */
public final class UnknownRdbTypeException extends RdbFormatException {
    private final int typeByte;

    UnknownRdbTypeException(int typeByte, int rdbVersion, boolean valkeyNumbering, long offset) {
        super("unknown RDB value type " + typeByte + " (" + (valkeyNumbering ? "Valkey" : "Redis") + " numbering, RDB version " + rdbVersion
                + "): written by a server newer than Ferry knows, or corrupt", offset);
        this.typeByte = typeByte;
    }

    public int typeByte() {
        return typeByte;
    }
}
