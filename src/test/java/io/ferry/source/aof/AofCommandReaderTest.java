package io.ferry.source.aof;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.rdb.EveryChunking;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AOF command reader on byte literals, each read whole, one byte at a time and split at
 * every boundary (its buffer refills are distinct paths): commands, annotations, binary values,
 * a truncation at every byte, and corrupt input with the offset it names.
 */
class AofCommandReaderTest {
    static final String SELECT = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"; // 23 bytes
    static final String TS = "#TS:1700000000\r\n"; // 16 bytes
    static final String SET = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"; // 26 bytes

    @Test
    void commandsAndAnnotationsWithTheirOffsets() {
        assertThat(read(SELECT + TS + SET)).containsExactly(
                "cmd [SELECT, 0] 0-23",
                "ann TS:1700000000 23-39",
                "cmd [SET, k, ] 39-65",
                "end 65");
    }

    @Test
    void valuesAreBinaryAndMayHoldCrlfStarsAndHashes() {
        byte[] v = {'\r', '\n', '*', '1', '#', 0, (byte) 0xff, '$'};
        byte[] aof = concat(ascii("*2\r\n$4\r\nECHO\r\n$8\r\n"), v, ascii("\r\n"));
        assertThat(read(aof)).containsExactly("cmd [ECHO, \r\n*1#\u0000\u00ff$] 0-" + aof.length, "end " + aof.length);
    }

    @Test
    void annotationWithoutCarriageReturnAndOtherAnnotations() {
        assertThat(read("#TS:5\n#something else\r\n" + SET)).containsExactly(
                "ann TS:5 0-6", "ann something else 6-23", "cmd [SET, k, ] 23-49", "end 49");
    }

    @Test
    void valueLargerThanTheBuffer() {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 'x');
        byte[] aof = concat(ascii("*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$200000\r\n"), big, ascii("\r\n" + SET));
        // Not every split of 200 KB (that is 200,000 reads of it): whole, byte by byte, random pieces.
        List<String> t = transcript(new java.io.ByteArrayInputStream(aof), 0, true);
        assertThat(transcript(io.ferry.testing.TinyReads.oneByteAtATime(aof), 0, true)).isEqualTo(t);
        for (long seed = 0; seed < 20; seed++) {
            assertThat(transcript(io.ferry.testing.TinyReads.randomChunks(aof, seed, 70_000), 0, true)).isEqualTo(t);
        }
        assertThat(t).hasSize(3);
        assertThat(t.get(0)).startsWith("cmd [SET, b, xxx").endsWith("] 0-" + (aof.length - 26));
        assertThat(t.get(2)).isEqualTo("end " + aof.length);
    }

    @Test
    void cutAtEveryByteIsACleanEndOrATruncationAtTheCommandStart() {
        String aof = SELECT + TS + SET;
        int[] starts = {0, 23, 39};
        for (int cut = 0; cut <= aof.length(); cut++) {
            List<String> t = read(aof.substring(0, cut));
            String last = t.get(t.size() - 1);
            if (cut == 0 || cut == 23 || cut == 39 || cut == 65) {
                assertThat(last).as("cut at %d", cut).isEqualTo("end " + cut);
            } else {
                int start = 0;
                for (int s : starts) {
                    if (s < cut) {
                        start = s;
                    }
                }
                assertThat(last).as("cut at %d", cut).isEqualTo("truncated " + start);
            }
        }
    }

    @Test
    void bulkLengthBeyondTheFileIsATruncationWithoutAllocating() throws IOException {
        byte[] aof = ascii(SET + "*1\r\n$2000000000\r\nab");
        AofCommandReader r = new AofCommandReader(new java.io.ByteArrayInputStream(aof), "f", 0, aof.length, true);
        assertThat(r.next()).isInstanceOf(AofCommandReader.Command.class);
        try {
            r.next();
            throw new AssertionError("no truncation");
        } catch (AofTruncatedException e) {
            assertThat(e.offset()).isEqualTo(26);
            assertThat(e.getMessage()).isEqualTo("f: the file ends inside the command at byte offset 26 (truncated, as after a crash while it was written)");
        }
    }

    @Test
    void corruptInputNamesItsOffset() {
        assertThat(read("hello\r\n")).last().isEqualTo("corrupt 0: f: corrupt AOF at byte offset 0: expected a command (a RESP array, '*'), found byte 0x68: not an AOF, or corrupt");
        assertThat(read(SET + "*2\r\n$3\r\nSET\r\n:1\r\n")).last().isEqualTo("corrupt 39: f: corrupt AOF at byte offset 39: expected a bulk string ('$') in a command, found byte 0x3a");
        assertThat(read("*1\r\n$3\r\nSETxx")).last().isEqualTo("corrupt 11: f: corrupt AOF at byte offset 11: a bulk string not followed by CRLF");
        assertThat(read("*0\r\n")).last().isEqualTo("corrupt 0: f: corrupt AOF at byte offset 0: a command with 0 arguments");
        assertThat(read("*x\r\n")).last().isEqualTo("corrupt 0: f: corrupt AOF at byte offset 0: invalid a command's argument count 'x'");
        assertThat(read("*1\n$1\r\na\r\n")).last().isEqualTo("corrupt 0: f: corrupt AOF at byte offset 0: a command's argument count line not ended by CRLF");
        assertThat(read("*1\r\n$-1\r\n")).last().isEqualTo("corrupt 4: f: corrupt AOF at byte offset 4: invalid bulk string length -1");
        assertThat(last(read("*1\r\n$99999999999999999999\r\n"))).startsWith("corrupt 4: f: corrupt AOF at byte offset 4: invalid a bulk string length line");
        assertThat(read("#" + "a".repeat(2000) + "\n")).last().isEqualTo("corrupt 0: f: corrupt AOF at byte offset 0: an annotation longer than 1024 bytes");
    }

    @Test
    void withoutValuesOnlyTheCommandNameIsKept() {
        assertThat(transcriptOf(ascii(SET), false)).containsExactly("cmd [SET, null, null] 0-26", "end 26");
    }

    @Test
    void offsetsStartWhereTheReaderStarts() {
        assertThat(transcript(new java.io.ByteArrayInputStream(ascii(SET)), 100, true)).containsExactly("cmd [SET, k, ] 100-126", "end 126");
    }

    private static String last(List<String> t) {
        return t.get(t.size() - 1);
    }

    private static List<String> read(String aof) {
        return read(ascii(aof));
    }

    private static List<String> read(byte[] aof) {
        return transcriptOf(aof, true);
    }

    /** The transcript, the same under every chunking. */
    private static List<String> transcriptOf(byte[] aof, boolean values) {
        return EveryChunking.check(aof, in -> transcript(in, 0, values));
    }

    private static List<String> transcript(InputStream in, long start, boolean values) {
        List<String> out = new ArrayList<>();
        AofCommandReader r = new AofCommandReader(in, "f", start, Long.MAX_VALUE, values);
        try {
            for (AofCommandReader.Entry e = r.next(); e != null; e = r.next()) {
                if (e instanceof AofCommandReader.Command c) {
                    List<String> args = new ArrayList<>();
                    for (byte[] a : c.argv()) {
                        args.add(a == null ? "null" : new String(a, StandardCharsets.ISO_8859_1));
                    }
                    out.add("cmd " + args + " " + c.start() + "-" + c.end());
                } else {
                    AofCommandReader.Annotation a = (AofCommandReader.Annotation) e;
                    out.add("ann " + a.text() + " " + a.start() + "-" + a.end());
                }
            }
            out.add("end " + r.position());
        } catch (AofTruncatedException e) {
            out.add("truncated " + e.offset());
        } catch (AofFormatException e) {
            out.add("corrupt " + e.offset() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
