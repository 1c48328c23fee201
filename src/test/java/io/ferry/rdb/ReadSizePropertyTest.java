package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testing.Fixtures;
import io.ferry.testing.TinyReads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The reader gives the same result whatever sizes the input arrives in: for the real-server
 * fixture files and for random generated RDBs (which must also decode to the model they were
 * built from), read in random pieces from 1 byte to more than the reader's 64 KiB buffer.
 */
class ReadSizePropertyTest {
    /** Largest read size, biased towards tiny reads, which exercise the refill paths most. */
    @Provide
    Arbitrary<Integer> maxRead() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(2, 16)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(17, 4096)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(4097, 200_000)));
    }

    /** What decoding produced: the transcript, then the error if one ended it. */
    static List<String> outcome(InputStream in, long captureLimit) {
        Recorder r = new Recorder();
        try {
            new RdbReader(in, captureLimit > 0 ? RdbReader.CaptureMode.raw(captureLimit, null) : RdbReader.CaptureMode.NONE).read(r);
        } catch (RdbFormatException e) {
            r.lines.add("error: " + e.getMessage());
        }
        return r.lines;
    }

    // ---- generated RDBs ----

    @Property(tries = 200)
    void generatedRdbDecodesToItsModel(@ForAll long seed, @ForAll long readSeed, @ForAll("maxRead") int maxRead) {
        GeneratedRdb g = new GeneratedRdb(seed);
        assertThat(outcome(TinyReads.randomChunks(g.bytes, readSeed, maxRead), 0)).containsExactlyElementsOf(g.transcript());
    }

    @Property(tries = 150)
    void skippedValuesAreConsumedExactly(@ForAll long seed, @ForAll long readSeed, @ForAll("maxRead") int maxRead) {
        // Filtered keys take the skip path (no decompression, no decoding): the next key must still line up.
        GeneratedRdb g = new GeneratedRdb(seed);
        Recorder r = new Recorder(h -> decodes(Recorder.keyLine(h.db, h.key, h.rdbType, h.expireAtMs, h.idleSeconds, h.lfuFreq)));
        new RdbReader(TinyReads.randomChunks(g.bytes, readSeed, maxRead)).read(r);
        assertThat(r.lines).containsExactlyElementsOf(g.transcript(ReadSizePropertyTest::decodes));
    }

    private static boolean decodes(String keyLine) {
        return (keyLine.hashCode() & 1) == 0;
    }

    @Property(tries = 150)
    void capturedPayloadsAreTheSerializedValues(@ForAll long seed, @ForAll long readSeed, @ForAll("maxRead") int maxRead) {
        GeneratedRdb g = new GeneratedRdb(seed);
        List<String> raws = new ArrayList<>();
        for (String l : outcome(TinyReads.randomChunks(g.bytes, readSeed, maxRead), 1 << 24)) {
            if (l.startsWith("  raw ")) {
                raws.add(l);
            }
        }
        List<String> expected = new ArrayList<>();
        for (byte[] p : g.payloads()) {
            expected.add("  raw " + p.length + " " + Long.toHexString(Crc64.of(p)));
        }
        assertThat(raws).containsExactlyElementsOf(expected);
    }

    @Property(tries = 200)
    void damagedInputFailsTheSameWayWhateverTheReadSizes(@ForAll long seed, @ForAll long damageSeed, @ForAll long readSeed,
            @ForAll("maxRead") int maxRead) {
        // Random byte damage: decoding either succeeds or fails with an RdbFormatException (never
        // another exception), and the outcome, error message and offset included, does not depend
        // on how the input was delivered.
        byte[] rdb = damaged(new GeneratedRdb(seed).bytes, damageSeed);
        List<String> whole = outcome(new ByteArrayInputStream(rdb), 1 << 20);
        assertThat(outcome(TinyReads.randomChunks(rdb, readSeed, maxRead), 1 << 20)).containsExactlyElementsOf(whole);
    }

    static byte[] damaged(byte[] rdb, long seed) {
        java.util.Random r = new java.util.Random(seed);
        byte[] b = rdb.clone();
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(4)) {
                case 0: b[at] ^= (byte) (1 << r.nextInt(8)); break;
                case 1: b[at] = (byte) r.nextInt(256); break;
                case 2: b[at] = (byte) (0x80 + r.nextInt(2)); break; // a 32/64-bit length prefix
                default: b = java.util.Arrays.copyOf(b, at); // truncation
            }
        }
        return b;
    }

    // ---- real-server fixtures ----

    private static final Map<Path, List<String>> WHOLE = new ConcurrentHashMap<>();

    static List<Path> fixtureFiles() throws IOException {
        if (!Fixtures.present()) {
            return List.of();
        }
        Path dir = Fixtures.root().resolve("rdb");
        try (Stream<Path> s = Stream.concat(Files.list(dir), Files.list(dir.resolve("upstream")))) {
            // every RDB, the one no server loads (corrupt_ziplist.rdb) included: its failure must not vary either
            return s.filter(p -> p.toString().endsWith(".rdb") || p.toString().endsWith(".aof")).sorted().toList();
        }
    }

    @Property(tries = 25)
    void fixtureFilesDecodeTheSameWhateverTheReadSizes(@ForAll long readSeed, @ForAll("maxRead") int maxRead) throws IOException {
        List<Path> files = fixtureFiles();
        if (files.isEmpty()) {
            System.err.println("NOTICE: fixture corpus not found at " + Fixtures.root() + " — fixture chunking property checks nothing");
            return;
        }
        for (Path p : files) {
            byte[] rdb = Files.readAllBytes(p);
            List<String> whole = WHOLE.computeIfAbsent(p, k -> outcome(new ByteArrayInputStream(rdb), 1 << 20));
            assertThat(outcome(TinyReads.randomChunks(rdb, readSeed, maxRead), 1 << 20))
                    .as("%s read in pieces of at most %d bytes", p.getFileName(), maxRead)
                    .containsExactlyElementsOf(whole);
        }
    }
}
