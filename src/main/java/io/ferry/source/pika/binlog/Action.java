package io.ferry.source.pika.binlog;

/** One thing to do on the Redis target for a binlog item. */
public sealed interface Action {

    /** Send as is. */
    record Command(byte[][] argv) implements Action {
        public String name() {
            return new String(argv[0], java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return Argv.show(argv);
        }
    }

    /**
     * Re-read {@code key} (of {@code type}, as Redis TYPE names it) from the source and replace it on the target:
     * the item changed it in a way the log does not tell (3.x SPOP).
     */
    record Refetch(byte[] key, String type) implements Action {
        @Override
        public String toString() {
            return "Refetch(" + Argv.show(new byte[][] {key}) + ", " + type + ")";
        }
    }
}
