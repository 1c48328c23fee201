package io.ferry.source.pika.binlog;

import java.util.Locale;

/**
 * The value types of a Pika name, in the order Pika's {@code TYPE} picks the first existing one
 * (string, hash, list, zset, set); streams, which 3.5's {@code TYPE} does not see, come last.
 */
public enum KeyType {
    STRING, HASH, LIST, ZSET, SET, STREAM;

    /** As Redis' TYPE answers and as the {@code name:<type>} suffix is spelled. */
    public String redisName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** From a Redis TYPE name ({@code string}) or a Pika type directory / fixture group ({@code strings}). */
    public static KeyType parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
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
