package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WholeLinesOutputStreamTest {
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void passesWholeLinesAndHoldsTheUnfinishedOne() throws Exception {
        WholeLinesOutputStream w = new WholeLinesOutputStream(sink, 100);
        w.write(b("one\ntw"));
        w.write('o');
        w.write(b("\nthree\nfo"));
        w.flush();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nthree\n");
        w.dropUnfinishedLine();
        w.write(b("five\n"));
        w.close();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nthree\nfive\n");
    }

    @Test
    void closeWithoutAFailureKeepsEverything() throws Exception {
        WholeLinesOutputStream w = new WholeLinesOutputStream(sink, 100);
        w.write(b("a\nno newline"));
        w.close();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("a\nno newline");
    }

    @Test
    void aLineLongerThanTheLimitIsPassedOnAsItGrows() throws Exception {
        WholeLinesOutputStream w = new WholeLinesOutputStream(sink, 10);
        w.write(b("short\n"));
        w.write(b("0123456789abc"));
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("short\n0123456789abc");
        w.write(b("de"));
        w.dropUnfinishedLine(); // only the part not yet passed on can be dropped
        w.close();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("short\n0123456789abc");
    }
}
