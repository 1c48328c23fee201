package io.ferry.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class DbArgumentsTest {
    private static final IntUnaryOperator PLUS_5 = db -> db + 5;
    private static final IntUnaryOperator ALL_TO_0 = db -> 0;
    private static final IntPredicate ALL = db -> true;

    private static String map(IntUnaryOperator m, IntPredicate accepted, int current, String... args) {
        byte[][] argv = Arrays.stream(args).map(a -> a.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        byte[][] out = DbArguments.map(argv, current, m, accepted);
        return out == null ? null : String.join(" ", Arrays.stream(out).map(b -> new String(b, StandardCharsets.US_ASCII)).toList());
    }

    @Test
    void moveTakesTheMappedDb() {
        assertThat(map(PLUS_5, ALL, 0, "MOVE", "k", "2")).isEqualTo("MOVE k 7");
        assertThat(map(ALL_TO_0, ALL, 1, "move", "k", "2")).as("both dbs land in target db 0").isNull();
        assertThat(map(PLUS_5, List.of(0, 1)::contains, 0, "MOVE", "k", "3")).as("into an unsynced db").isEqualTo("DEL k");
    }

    @Test
    void copyWithDbTakesTheMappedDb() {
        assertThat(map(PLUS_5, ALL, 0, "COPY", "a", "b", "DB", "1", "REPLACE")).isEqualTo("COPY a b DB 6 REPLACE");
        assertThat(map(PLUS_5, ALL, 0, "COPY", "a", "b", "REPLACE", "db", "2")).isEqualTo("COPY a b REPLACE db 7");
        assertThat(map(PLUS_5, ALL, 0, "COPY", "a", "b")).isEqualTo("COPY a b");
        assertThat(map(PLUS_5, db -> db == 0, 0, "COPY", "a", "b", "DB", "4")).as("into an unsynced db").isNull();
    }

    @Test
    void swapdbSwapsTheMappedDbs() {
        assertThat(map(PLUS_5, ALL, 0, "SWAPDB", "0", "1")).isEqualTo("SWAPDB 5 6");
        assertThat(map(ALL_TO_0, ALL, 0, "SWAPDB", "0", "1")).isNull();
    }

    @Test
    void otherCommandsPassUnchanged() {
        assertThat(map(PLUS_5, ALL, 0, "SET", "k", "v")).isEqualTo("SET k v");
    }
}
