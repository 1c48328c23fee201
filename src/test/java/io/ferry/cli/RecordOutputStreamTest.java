package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordOutputStreamTest {
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String out() {
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void passesOnlyCommittedRecords() throws Exception {
        RecordOutputStream r = new RecordOutputStream(sink, 100);
        r.write(b("one\n"));
        r.commit();
        r.write(b("tw"));
        r.write('o');
        r.flush(); // a flush does not pass an unfinished record on
        assertThat(out()).isEqualTo("one\n");
        r.write('\n');
        r.commit();
        r.write(b("half a rec"));
        r.dropUncommitted();
        r.write(b("three\n"));
        r.close();
        assertThat(out()).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void aRecordLongerThanTheLimitIsPassedOnAsItGrows() throws Exception {
        RecordOutputStream r = new RecordOutputStream(sink, 10);
        r.write(b("short\n"));
        r.commit();
        r.write(b("0123456789abc"));
        assertThat(out()).isEqualTo("short\n0123456789abc");
        r.write(b("de"));
        r.dropUncommitted(); // only what was not passed on yet can be dropped
        r.close();
        assertThat(out()).isEqualTo("short\n0123456789abc");
    }

    @Test
    void closeFlushesAndClosesTheDownstream() throws Exception {
        boolean[] closed = {false};
        java.io.OutputStream down = new java.io.BufferedOutputStream(new java.io.OutputStream() {
            @Override
            public void write(int x) {
                sink.write(x);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        });
        RecordOutputStream r = new RecordOutputStream(down, 100);
        r.write(b("rec\n"));
        r.commit();
        r.close();
        assertThat(out()).isEqualTo("rec\n");
        assertThat(closed[0]).isTrue();
    }
}
