package io.ferry.source.pika.snapshot;

/**
 * The value types of a Pika name, declared in the order Pika's {@code TYPE} reports the first
 * existing type of a multi-type name (string, hash, list, zset, set); streams are invisible to
 * {@code TYPE} in 3.5 and come last.
 */
public enum PikaType {
    STRING("string"), HASH("hash"), LIST("list"), ZSET("zset"), SET("set"), STREAM("stream");

    private final String typeName;

    PikaType(String typeName) {
        this.typeName = typeName;
    }

    /** The Redis TYPE name, also the suffix {@link TypeConflictPolicy#SUFFIX} appends. */
    public String typeName() {
        return typeName;
    }

    /** From a Redis TYPE name ({@code string}) or a Pika type directory / fixture group ({@code strings}). */
    public static PikaType parse(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "string", "strings" -> STRING;
            case "hash", "hashes" -> HASH;
            case "list", "lists" -> LIST;
            case "zset", "zsets" -> ZSET;
            case "set", "sets" -> SET;
            case "stream", "streams" -> STREAM;
            default -> throw new IllegalArgumentException("not a key type: \"" + name + "\"");
        };
    }
}
