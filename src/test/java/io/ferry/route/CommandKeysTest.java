package io.ferry.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandKeysTest {
    private static List<String> keys(String... argv) {
        byte[][] a = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            a[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        List<byte[]> k = CommandKeys.of(a);
        return k == null ? null : k.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void keysOfMultiKeyCommands() {
        assertThat(keys("FLUSHALL")).isEmpty();
        assertThat(keys("script", "load", "return 1")).isEmpty();
        assertThat(keys("RENAME", "a", "b")).containsExactly("a", "b");
        assertThat(keys("MSETNX", "a", "1", "b", "2")).containsExactly("a", "b");
        assertThat(keys("BITOP", "AND", "dst", "x", "y")).containsExactly("dst", "x", "y");
        assertThat(keys("ZUNIONSTORE", "dst", "2", "x", "y", "WEIGHTS", "1", "2")).containsExactly("dst", "x", "y");
        assertThat(keys("EVAL", "return 1", "2", "k1", "k2", "arg")).containsExactly("k1", "k2");
        assertThat(keys("LMPOP", "2", "l1", "l2", "LEFT")).containsExactly("l1", "l2");
        assertThat(keys("SORT", "src", "BY", "w_*", "STORE", "dst")).containsExactly("src", "dst");
        assertThat(keys("COPY", "a", "b", "DB", "0")).containsExactly("a", "b");
    }

    @Test
    void keysFerryCannotTellAreNull() {
        assertThat(keys("EVAL", "redis.call('set', 'x', 1)", "0")).isNull();
        assertThat(keys("SOMEMODULE.CMD", "a")).isNull();
    }
}
