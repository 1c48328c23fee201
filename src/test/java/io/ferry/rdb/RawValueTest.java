package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testing.Fixtures;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Raw value capture and the header-only emptiness check used by the restore path. */
class RawValueTest {
    static final HexFormat HEX = HexFormat.of();

    static long elements(RawValue v) {
        return ElementCounter.of(v);
    }

    /** Empty collections in every encoding (hand-built; each decodes to no element). */
    @ParameterizedTest
    @ValueSource(strings = {
        "0100", "0200", "0300", "0400", "0500", // plain encodings, length 0
        "018000000000", // 32-bit length 0
        "1200", "0e00", // quicklists without nodes
        "120102" + "07" + "07000000" + "0000" + "ff", // quicklist 2 with one node holding an empty listpack
        "1007070000000000ff", "1107070000000000ff", "1407070000000000ff", "1707070000000000ff", // listpacks
        "19" + "0000000000000000" + "07070000000000ff", // hash listpack-ex
        "0d0b0b0000000a0000000000ff", "0c0b0b0000000a0000000000ff", "0a0b0b0000000a0000000000ff", // ziplists
        "0b080200000000000000", // intset
        "090200ff", // zipmap
        "1600", "18" + "0000000000000000" + "00", // hash with field TTLs (pre-GA and GA metadata)
        "01", "10" // truncated: only decoding can tell (and report it)
    })
    void emptyCollectionsAreNeverReportedNonEmpty(String hex) {
        RawValue v = RawValue.of(HEX.parseHex(hex));
        assertThat(v.mayBeEmptyCollection()).as(hex).isTrue();
        if (hex.length() > 2) {
            assertThat(elements(v)).as("elements of %s", hex).isZero();
        }
    }

    @Test
    void obviouslyNonEmptyValuesNeedNoDecoding() {
        assertThat(RawValue.of(HEX.parseHex("000161")).mayBeEmptyCollection()).as("a string").isFalse();
        assertThat(RawValue.of(HEX.parseHex("02010178")).mayBeEmptyCollection()).as("a one-member set").isFalse();
        assertThat(RawValue.of(HEX.parseHex("0b0a020000000100000005 00".replace(" ", ""))).mayBeEmptyCollection()).as("an intset of one").isFalse();
    }

    static List<Path> rdbs() throws Exception {
        return Fixtures.rdbFilesWithExpectations().stream().filter(p -> p.toString().endsWith(".rdb")).toList();
    }

    record Captured(KeyHeader h, RawValue raw) {}

    static List<Captured> capture(InputStream in) {
        return capture(in, RdbReader.CaptureMode.raw(1 << 20, null));
    }

    static List<Captured> capture(InputStream in, RdbReader.CaptureMode mode) {
        List<Captured> out = new ArrayList<>();
        new RdbReader(in, mode).read(new RdbHandler() {
            @Override
            public ValueSink beginKey(KeyHeader h) {
                return null;
            }

            @Override
            public void endKey(KeyHeader h, RawValue raw) {
                out.add(new Captured(h, raw));
            }
        });
        return out;
    }

    /** A stream that hands out one byte per read, so every value spans many buffer refills. */
    static InputStream trickle(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    /** Values over a tiny memory limit go to spill files, byte for byte, whatever the read chunking. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rdbs")
    void spilledValuesHoldTheSameBytes(Path rdb, @org.junit.jupiter.api.io.TempDir Path spill) throws Exception {
        List<Captured> whole;
        try (InputStream in = Files.newInputStream(rdb)) {
            whole = capture(in);
        }
        for (InputStream in : List.of(Files.newInputStream(rdb), trickle(Files.newInputStream(rdb)))) {
            List<Captured> spilled;
            try (in) {
                spilled = capture(in, RdbReader.CaptureMode.raw(24, spill));
            }
            assertThat(spilled).hasSameSizeAs(whole);
            for (int i = 0; i < whole.size(); i++) {
                RawValue v = spilled.get(i).raw();
                byte[] want = whole.get(i).raw().bytes();
                assertThat(v.inMemory()).as("kept in memory: %d bytes", want.length).isEqualTo(want.length <= 24);
                assertThat(v.size()).isEqualTo(want.length);
                try (InputStream got = v.open()) {
                    assertThat(got.readAllBytes()).isEqualTo(want);
                }
                v.release();
            }
        }
    }

    /**
     * On every real-server RDB: a value that decodes to no element is never judged non-empty by
     * its header, and capturing byte by byte (values spanning refills, CRC folded in tiny pieces)
     * yields the same bytes and passes the same checksum as reading whole buffers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rdbs")
    void headerCheckAgreesWithDecodingAndCaptureIsChunkingIndependent(Path rdb) throws Exception {
        List<Captured> whole;
        try (InputStream in = Files.newInputStream(rdb)) {
            whole = capture(in);
        }
        List<Captured> trickled;
        try (InputStream in = trickle(Files.newInputStream(rdb))) {
            trickled = capture(in);
        }
        assertThat(trickled).hasSameSizeAs(whole);
        for (int i = 0; i < whole.size(); i++) {
            RawValue v = whole.get(i).raw();
            assertThat(trickled.get(i).raw().bytes()).as("key %s", RdbReader.printable(whole.get(i).h().key)).isEqualTo(v.bytes());
            ValueType t = whole.get(i).h().type();
            if (t == ValueType.LIST || t == ValueType.SET || t == ValueType.ZSET || t == ValueType.HASH) {
                if (elements(v) == 0) {
                    assertThat(v.mayBeEmptyCollection()).as("empty %s", RdbReader.printable(whole.get(i).h().key)).isTrue();
                }
            }
        }
    }
}
