package io.ferry.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk queue between the source socket and the applier, with 10-byte segments to cross many boundaries. */
class SpoolTest {
    private static byte[] bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static byte[] read(InputStream in, int n) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(out, off, Math.min(7, n - off)); // odd sizes: reads straddle segment ends
            assertThat(r).isPositive();
            off += r;
        }
        return out;
    }

    private static long segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("seg-")).count();
        }
    }

    @Test
    void readsBackWhatWasWrittenFromAnyPositionAcrossSegments(@TempDir Path dir) throws IOException {
        try (Spool s = new Spool(dir, 10, 1000)) {
            s.write(bytes(0, 95), 0, 95);
            assertThat(s.written()).isEqualTo(95);
            assertThat(segments(dir)).isEqualTo(10);
            assertThat(read(s.reader(0), 95)).isEqualTo(bytes(0, 95));
            assertThat(read(s.reader(33), 62)).isEqualTo(bytes(33, 62));
        }
    }

    @Test
    void releaseDeletesOnlyWholeSegmentsBeforeThePosition(@TempDir Path dir) throws IOException {
        try (Spool s = new Spool(dir, 10, 1000)) {
            s.write(bytes(0, 50), 0, 50);
            s.release(25); // segments [0,10) and [10,20) go; [20,30) holds bytes still needed
            assertThat(segments(dir)).isEqualTo(3);
            assertThat(read(s.reader(25), 25)).isEqualTo(bytes(25, 25));
            assertThatThrownBy(() -> s.reader(15).read(new byte[1], 0, 1)).hasMessageContaining("already released");
        }
    }

    @Test
    void aReopenedSpoolKeepsItsBytesAndAppendsAfterThem(@TempDir Path dir) throws IOException {
        try (Spool s = new Spool(dir, 10, 1000)) {
            s.write(bytes(0, 47), 0, 47);
            s.release(20);
        }
        assertThat(Spool.extent(dir)).containsExactly(20, 47);
        try (Spool s = Spool.reopen(dir, 10, 1000)) {
            assertThat(s.written()).isEqualTo(47);
            s.write(bytes(47, 30), 0, 30);
            assertThat(read(s.reader(20), 57)).isEqualTo(bytes(20, 57));
        }
        try (Spool fresh = new Spool(dir, 10, 1000)) {
            assertThat(fresh.written()).isZero();
            assertThat(segments(dir)).as("a new spool starts empty").isZero();
        }
        assertThat(Spool.extent(dir)).isNull();
    }

    @Test
    void aReaderWaitsForTheLinkAndSeesItsEndOrFailure(@TempDir Path dir) throws Exception {
        try (Spool s = new Spool(dir, 10, 1000)) {
            InputStream in = s.reader(0);
            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(100);
                    s.write(bytes(0, 5), 0, 5);
                    s.finish(null);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            writer.start();
            assertThat(read(in, 5)).isEqualTo(bytes(0, 5));
            assertThat(in.read(new byte[1], 0, 1)).as("end of stream once finished").isEqualTo(-1);
            writer.join();
        }
        try (Spool s = new Spool(dir, 10, 1000)) {
            s.finish(new IOException("link lost"));
            assertThatThrownBy(() -> s.reader(0).read(new byte[1], 0, 1)).hasMessageContaining("link lost");
        }
    }

    @Test
    void writingBeyondTheLimitOfUnreleasedBytesFailsLoudly(@TempDir Path dir) throws IOException {
        try (Spool s = new Spool(dir, 10, 30)) {
            s.write(bytes(0, 30), 0, 30);
            assertThatThrownBy(() -> s.write(bytes(30, 1), 0, 1)).hasMessageContaining("--spool-max-bytes");
            s.release(20);
            s.write(bytes(30, 10), 0, 10);
            assertThat(read(s.reader(20), 20)).isEqualTo(Arrays.copyOfRange(bytes(0, 40), 20, 40));
        }
    }
}
