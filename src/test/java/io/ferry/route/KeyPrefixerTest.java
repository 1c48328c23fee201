package io.ferry.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.filter.DbMap;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class KeyPrefixerTest {
    // db 0 unprefixed into target db 0, dbs 1 and 2 prefixed into it, db 3 into target db 3.
    private static final DbMap MAP = DbMap.of(Map.of(), Map.of(0, b(""), 1, b("db1:"), 2, b("db2:")));
    private static final IntPredicate ALL = db -> true;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String rw(int db, String... args) {
        return rw(db, ALL, args);
    }

    private static String rw(int db, IntPredicate accepted, String... args) {
        byte[][] argv = Arrays.stream(args).map(KeyPrefixerTest::b).toArray(byte[][]::new);
        byte[][] out = KeyPrefixer.rewrite(argv, db, MAP, accepted);
        return String.join(" ", Arrays.stream(out).map(x -> new String(x, StandardCharsets.UTF_8)).toList());
    }

    @Test
    void singleKeyAndSubcommandKey() {
        assertThat(rw(1, "SET", "k", "v", "EX", "10")).isEqualTo("SET db1:k v EX 10");
        assertThat(rw(2, "incr", "n")).isEqualTo("incr db2:n");
        assertThat(rw(1, "XGROUP", "CREATE", "s", "g", "$")).isEqualTo("XGROUP CREATE db1:s g $");
        assertThat(rw(1, "RESTORE", "k", "0", "payload")).as("the payload does not hold the name").isEqualTo("RESTORE db1:k 0 payload");
    }

    @Test
    void everyKeyOfMultiKeyCommands() {
        assertThat(rw(1, "DEL", "a", "b", "c")).isEqualTo("DEL db1:a db1:b db1:c");
        assertThat(rw(1, "MSET", "a", "1", "b", "2")).isEqualTo("MSET db1:a 1 db1:b 2");
        assertThat(rw(1, "MSETNX", "a", "a", "b", "b")).as("values equal to names stay values").isEqualTo("MSETNX db1:a a db1:b b");
        assertThat(rw(1, "RENAME", "a", "b")).isEqualTo("RENAME db1:a db1:b");
        assertThat(rw(1, "LMOVE", "a", "b", "LEFT", "RIGHT")).isEqualTo("LMOVE db1:a db1:b LEFT RIGHT");
        assertThat(rw(1, "SMOVE", "a", "b", "m")).isEqualTo("SMOVE db1:a db1:b m");
        assertThat(rw(1, "SUNIONSTORE", "d", "a", "b")).isEqualTo("SUNIONSTORE db1:d db1:a db1:b");
        assertThat(rw(1, "BITOP", "AND", "d", "a", "b")).isEqualTo("BITOP AND db1:d db1:a db1:b");
        assertThat(rw(1, "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2")).isEqualTo("ZUNIONSTORE db1:d 2 db1:a db1:b WEIGHTS 1 2");
        assertThat(rw(1, "LMPOP", "2", "a", "b", "LEFT")).isEqualTo("LMPOP 2 db1:a db1:b LEFT");
        assertThat(rw(1, "EVAL", "return 1", "2", "a", "b", "argv")).isEqualTo("EVAL return 1 2 db1:a db1:b argv");
        assertThat(rw(1, "FCALL", "f", "1", "a", "x")).isEqualTo("FCALL f 1 db1:a x");
        assertThat(rw(1, "SORT", "l", "LIMIT", "0", "5", "ALPHA", "STORE", "d")).isEqualTo("SORT db1:l LIMIT 0 5 ALPHA STORE db1:d");
        assertThat(rw(1, "GEORADIUS", "g", "1", "2", "5", "km", "STOREDIST", "d")).isEqualTo("GEORADIUS db1:g 1 2 5 km STOREDIST db1:d");
        assertThat(rw(1, "GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "m", "BYRADIUS", "1", "km")).isEqualTo("GEOSEARCHSTORE db1:d db1:g FROMMEMBER m BYRADIUS 1 km");
        assertThat(rw(1, "FLUSHALL")).isEqualTo("FLUSHALL");
        assertThat(rw(1, "SCRIPT", "LOAD", "return 1")).isEqualTo("SCRIPT LOAD return 1");
    }

    @Test
    void unprefixedDbsGoAsTheyAre() {
        assertThat(rw(0, "SET", "k", "v")).isEqualTo("SET k v");
        assertThat(rw(3, "RENAME", "a", "b")).isEqualTo("RENAME a b");
        assertThat(rw(0, "FOO.BAR", "k")).as("no name changes, so an unknown command is not a risk").isEqualTo("FOO.BAR k");
    }

    @Test
    void keysThatCannotBeToldAreRefused() {
        assertThatThrownBy(() -> rw(1, "FOO.BAR", "k")).isInstanceOf(KeyPrefixer.Refused.class).hasMessageContaining("FOO.BAR in source db 1");
        assertThatThrownBy(() -> rw(1, "EVAL", "redis.call('set','x','1')", "0")).isInstanceOf(KeyPrefixer.Refused.class);
        assertThatThrownBy(() -> rw(1, "EVAL", "s", "3", "a")).as("numkeys beyond the arguments").isInstanceOf(KeyPrefixer.Refused.class);
        assertThatThrownBy(() -> rw(1, "SORT", "l", "BY", "w_*", "STORE", "d")).isInstanceOf(KeyPrefixer.Refused.class);
        assertThatThrownBy(() -> rw(1, "SORT", "l", "GET", "o_*", "STORE", "d")).isInstanceOf(KeyPrefixer.Refused.class);
        assertThatThrownBy(() -> rw(1, "MSET", "a", "1", "b")).isInstanceOf(KeyPrefixer.Refused.class);
        assertThatThrownBy(() -> rw(1, "MSETEX", "1", "a", "1")).isInstanceOf(KeyPrefixer.Refused.class);
    }

    @Test
    void flushdbAndSwapdbOfASharedDbAreRefused() {
        assertThatThrownBy(() -> rw(1, "FLUSHDB")).isInstanceOf(KeyPrefixer.Refused.class).hasMessageContaining("source db 1");
        assertThatThrownBy(() -> rw(0, "FLUSHDB", "ASYNC")).as("db 0 shares target db 0 with the prefixed dbs").isInstanceOf(KeyPrefixer.Refused.class);
        assertThat(rw(3, "FLUSHDB")).isEqualTo("FLUSHDB");
        assertThatThrownBy(() -> rw(0, "SWAPDB", "1", "3")).isInstanceOf(KeyPrefixer.Refused.class);
        assertThat(rw(0, "SWAPDB", "3", "4")).isEqualTo("SWAPDB 3 4");
    }

    @Test
    void moveBetweenPrefixedDbsIsARename() {
        assertThat(rw(1, "MOVE", "k", "2")).as("MOVE fails on an existing name, as RENAMENX does").isEqualTo("RENAMENX db1:k db2:k");
        assertThat(rw(0, "MOVE", "k", "1")).isEqualTo("RENAMENX k db1:k");
        assertThat(rw(1, "MOVE", "k", "0")).isEqualTo("RENAMENX db1:k k");
        assertThat(rw(1, (IntPredicate) db -> db < 3, "MOVE", "k", "5")).as("out of the synced dbs: DbArguments makes it a DEL").isEqualTo("MOVE db1:k 5");
        assertThat(rw(0, "MOVE", "k", "3")).as("both unprefixed: a move between target dbs").isEqualTo("MOVE k 3");
        assertThatThrownBy(() -> rw(1, "MOVE", "k", "3")).isInstanceOf(KeyPrefixer.Refused.class).hasMessageContaining("db 1 to db 3");
        assertThatThrownBy(() -> rw(3, "MOVE", "k", "1")).isInstanceOf(KeyPrefixer.Refused.class);
    }

    @Test
    void copyTakesThePrefixOfItsDestinationDb() {
        assertThat(rw(1, "COPY", "a", "b")).isEqualTo("COPY db1:a db1:b");
        assertThat(rw(1, "COPY", "a", "b", "DB", "2", "REPLACE")).isEqualTo("COPY db1:a db2:b DB 2 REPLACE");
        assertThat(rw(3, "COPY", "a", "b", "db", "1")).as("DbArguments maps the DB number next").isEqualTo("COPY a db1:b db 1");
        assertThat(rw(1, "COPY", "a", "b", "DB", "3")).isEqualTo("COPY db1:a b DB 3");
    }

    @Test
    void theMapRefusesAmbiguousPrefixes() {
        assertThatThrownBy(() -> DbMap.of(Map.of(1, 0), Map.of(1, b("x:")))).hasMessageContaining("db 1 is in both");
        assertThatThrownBy(() -> DbMap.of(Map.of(), Map.of(1, b("x:"), 2, b("x:")))).hasMessageContaining("the same prefix");
        assertThat(MAP.applyAsInt(2)).isZero();
        assertThat(MAP.applyAsInt(3)).isEqualTo(3);
        assertThat(MAP.describe()).isNotEqualTo(DbMap.of(Map.of(), Map.of(0, b(""), 1, b("db1:"), 2, b("x:"))).describe());
        assertThat(DbMap.IDENTITY.describe()).as("unchanged for checkpoints of runs without --db-prefix").isEqualTo("same dbs");
    }
}
