package io.ferry.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One RESP2 reply. The accessors convert leniently between scalar types and throw
 * {@link ServerErrorException} when called on an error reply, so {@code conn.call("GET", k).asString()}
 * surfaces server errors as exceptions while {@link #isError()} allows inspecting them instead.
 */
public sealed interface Reply permits Reply.Simple, Reply.Error, Reply.Int, Reply.Bulk, Reply.Array {

    Simple OK = new Simple("OK");
    Simple PONG = new Simple("PONG");
    Simple QUEUED = new Simple("QUEUED");
    Bulk NULL_BULK = new Bulk(null);
    Array NULL_ARRAY = new Array(null);
    Array EMPTY_ARRAY = new Array(List.of());

    static Reply simple(String value) {
        return new Simple(value);
    }

    static Reply error(String message) {
        return new Error(message);
    }

    static Reply integer(long value) {
        return value >= Int.CACHE_MIN && value <= Int.CACHE_MAX ? Int.CACHE[(int) (value - Int.CACHE_MIN)] : new Int(value);
    }

    static Reply bulk(byte[] value) {
        return value == null ? NULL_BULK : new Bulk(value);
    }

    static Reply bulk(String value) {
        return value == null ? NULL_BULK : new Bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    static Reply array(List<Reply> items) {
        return items == null ? NULL_ARRAY : new Array(items);
    }

    default boolean isError() {
        return false;
    }

    /** True for the null bulk string and the null array. */
    default boolean isNull() {
        return false;
    }

    /** The value as text (bulk decoded as UTF-8); null for null bulk. */
    String asString();

    /** The value as a number; bulk and simple strings are parsed. */
    long asLong();

    /** The raw value; null for null bulk. */
    byte[] asBytes();

    /** The elements of an array reply; null for the null array. */
    default List<Reply> asList() {
        throw new IllegalStateException("expected an array reply, got " + this);
    }

    /** Status reply such as {@code +OK}. */
    record Simple(String value) implements Reply {
        public String asString() {
            return value;
        }

        public long asLong() {
            return Int.parse(value);
        }

        public byte[] asBytes() {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "+" + value;
        }
    }

    /** Error reply; {@code message} includes the error code, e.g. "WRONGTYPE Operation against a key ...". */
    record Error(String message) implements Reply {
        @Override
        public boolean isError() {
            return true;
        }

        /** The error code: the first word of the message ("ERR", "WRONGTYPE", "EXECABORT", ...). */
        public String code() {
            int sp = message.indexOf(' ');
            return sp < 0 ? message : message.substring(0, sp);
        }

        public String asString() {
            throw new ServerErrorException(message);
        }

        public long asLong() {
            throw new ServerErrorException(message);
        }

        public byte[] asBytes() {
            throw new ServerErrorException(message);
        }

        @Override
        public List<Reply> asList() {
            throw new ServerErrorException(message);
        }

        @Override
        public String toString() {
            return "-" + message;
        }
    }

    record Int(long value) implements Reply {
        private static final int CACHE_MIN = -1;
        private static final int CACHE_MAX = 1024;
        // Pipelines are dominated by small counters (DEL, EXPIRE, SADD replies); share them.
        private static final Int[] CACHE = new Int[CACHE_MAX - CACHE_MIN + 1];

        static {
            for (int i = 0; i < CACHE.length; i++) {
                CACHE[i] = new Int(i + CACHE_MIN);
            }
        }

        static long parse(String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("expected an integer reply, got '" + s + "'");
            }
        }

        public String asString() {
            return Long.toString(value);
        }

        public long asLong() {
            return value;
        }

        public byte[] asBytes() {
            return asString().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return ":" + value;
        }
    }

    /** Bulk string; {@code value} is null for the RESP null bulk ({@code $-1}). */
    record Bulk(byte[] value) implements Reply {
        @Override
        public boolean isNull() {
            return value == null;
        }

        public String asString() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }

        public long asLong() {
            if (value == null) {
                throw new IllegalStateException("expected an integer reply, got null bulk");
            }
            return Int.parse(asString());
        }

        public byte[] asBytes() {
            return value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return value == null ? "$null" : "$\"" + asString() + "\"";
        }
    }

    /** Array reply; {@code items} is null for the RESP null array ({@code *-1}). */
    record Array(List<Reply> items) implements Reply {
        @Override
        public boolean isNull() {
            return items == null;
        }

        @Override
        public List<Reply> asList() {
            return items;
        }

        public String asString() {
            throw new IllegalStateException("expected a scalar reply, got " + this);
        }

        public long asLong() {
            throw new IllegalStateException("expected an integer reply, got " + this);
        }

        public byte[] asBytes() {
            throw new IllegalStateException("expected a scalar reply, got " + this);
        }

        @Override
        public String toString() {
            return items == null ? "*null" : items.toString();
        }
    }
}
