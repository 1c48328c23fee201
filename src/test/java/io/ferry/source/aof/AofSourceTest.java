package io.ferry.source.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.replication.ReplCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an AOF's parts are found, ordered, numbered and stopped, on files written here. */
class AofSourceTest {
    static final String SET_A = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"; // 27 bytes
    static final String SET_B = "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
    @TempDir
    Path dir;

    @Test
    void partsInSeqOrderWithOffsetsGrowingAcrossThemAndDbZeroAtEachStart() throws Exception {
        write("appendonly.aof.1.base.aof", SET_A);
        write("appendonly.aof.3.incr.aof", "#TS:20\r\n" + SET_B);
        write("appendonly.aof.2.incr.aof", "*2\r\n$6\r\nSELECT\r\n$1\r\n5\r\n#TS:10\r\n" + SET_B);
        write("appendonly.aof.0.incr.aof", "not read: history");
        write("appendonly.aof.manifest", "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.0.incr.aof seq 0 type h\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        List<String> seen = new ArrayList<>();
        AofSource.End end = AofSource.open(dir).replay(0, null, false, c -> seen.add(show(c)), p -> {});
        assertThat(seen).containsExactly(
                "SELECT 0 @0-0", "SET a 1 @0-27",
                "SELECT 0 @27-27", "SELECT 5 @27-50", "SET b 2 @58-85",
                "SELECT 0 @85-85", "SET b 2 @93-120");
        assertThat(end.stop()).isEqualTo(AofSource.Stop.END);
        assertThat(end.commands()).isEqualTo(4);
        assertThat(end.sawTimestamps()).isTrue();
    }

    @Test
    void untilStopsBeforeTheFirstLaterAnnotation() throws Exception {
        Path f = write("a.aof", SET_A + "#TS:10\r\n" + SET_B + "#TS:11\r\n" + SET_A);
        List<String> seen = new ArrayList<>();
        AofSource.End end = AofSource.open(f).replay(0, 10_999L, false, c -> seen.add(show(c)), p -> {});
        assertThat(seen).containsExactly("SELECT 0 @0-0", "SET a 1 @0-27", "SET b 2 @35-62");
        assertThat(end).isEqualTo(new AofSource.End(AofSource.Stop.UNTIL, f, 62, 2, 11, true));
    }

    @Test
    void truncatedEndIsRefusedBeforeAnyCommandOrStopsThereWhenAllowed() throws Exception {
        Path f = write("a.aof", SET_A + SET_B.substring(0, 10));
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> AofSource.open(f).replay(0, null, false, c -> seen.add(show(c)), p -> {}))
                .isInstanceOf(AofTruncatedException.class).hasMessageContaining("byte offset 27");
        assertThat(seen).isEmpty();
        AofSource.End end = AofSource.open(f).replay(0, null, true, c -> seen.add(show(c)), p -> {});
        assertThat(seen).containsExactly("SELECT 0 @0-0", "SET a 1 @0-27");
        assertThat(end.stop()).isEqualTo(AofSource.Stop.TRUNCATED);
        assertThat(end.offset()).isEqualTo(27);
    }

    @Test
    void anOpenMultiAtTheEndIsATruncationAtTheMulti() throws Exception {
        Path f = write("a.aof", SET_A + "*1\r\n$5\r\nMULTI\r\n" + SET_B);
        assertThatThrownBy(() -> AofSource.open(f).checkTail(0, false))
                .isInstanceOf(AofTruncatedException.class).hasMessageContaining("inside the MULTI block at byte offset 27");
    }

    @Test
    void aTruncatedPartBeforeTheLastIsCorruptEvenWhenTruncationIsAllowed() throws Exception {
        write("x.1.incr.aof", SET_A.substring(0, 5));
        write("x.2.incr.aof", SET_B);
        Path m = write("x.manifest", "file x.1.incr.aof seq 1 type i\nfile x.2.incr.aof seq 2 type i\n");
        assertThatThrownBy(() -> AofSource.open(m).replay(0, null, true, c -> true, p -> {}))
                .isInstanceOf(AofFormatException.class).isNotInstanceOf(AofTruncatedException.class)
                .hasMessageContaining("it is not the last part of " + m);
    }

    @Test
    void refusedLayouts() throws Exception {
        assertThatThrownBy(() -> AofSource.open(dir)).hasMessage(dir + ": expected one *.manifest file in a Redis 7 AOF directory, found 0");
        Path m = write("x.manifest", "file gone.aof seq 1 type i\n");
        assertThatThrownBy(() -> AofSource.open(m)).hasMessage(m + " lists gone.aof, which is missing");
        write("x.1.incr.aof", "REDIS0010");
        write("x.manifest", "file x.1.incr.aof seq 1 type i\nfile x.0.incr.aof seq 0 type i\n");
        write("x.0.incr.aof", SET_A);
        assertThatThrownBy(() -> AofSource.open(m)).hasMessage(dir.resolve("x.1.incr.aof") + ": an incremental AOF file starting with an RDB (only the base may)");
    }

    @Test
    void whatCountsAsAnAof() throws Exception {
        assertThat(AofSource.isAof(dir)).isTrue();
        assertThat(AofSource.isAof(write("a.manifest", ""))).isTrue();
        assertThat(AofSource.isAof(write("plain", SET_A))).isTrue();
        assertThat(AofSource.isAof(write("ts", "#TS:1\r\n"))).isTrue();
        assertThat(AofSource.isAof(write("junk.aof", "junk"))).isTrue();
        assertThat(AofSource.isAof(write("preamble.aof", "REDIS0011..."))).isFalse();
        assertThat(AofSource.isAof(write("dump.rdb", "REDIS0011..."))).isFalse();
        assertThat(AofSource.isAof(write("junk.bin", "junk"))).isFalse();
    }

    private Path write(String name, String content) throws Exception {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String show(ReplCommand c) {
        List<String> a = new ArrayList<>();
        for (byte[] x : c.argv()) {
            a.add(new String(x, StandardCharsets.ISO_8859_1));
        }
        return String.join(" ", a) + " @" + c.startOffset() + "-" + c.endOffset();
    }
}
