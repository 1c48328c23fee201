package io.ferry.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespReaderTest {

    private static final byte[] BINARY = {'a', '\r', '\n', 'b', 0, (byte) 0xff};

    /** A pipeline of every reply shape, with the replies it must parse to. */
    private static final Object[][] CASES = {
            {"+OK\r\n", Reply.OK},
            {"+PONG\r\n", Reply.PONG},
            {"+QUEUED\r\n", Reply.QUEUED},
            {"+OKAY\r\n", Reply.simple("OKAY")},
            {"+h\u00e9llo w\u00f6rld\r\n", Reply.simple("h\u00e9llo w\u00f6rld")},
            {"+\r\n", Reply.simple("")},
            {"-ERR unknown command 'FOO'\r\n", Reply.error("ERR unknown command 'FOO'")},
            {":0\r\n", Reply.integer(0)},
            {":-42\r\n", Reply.integer(-42)},
            {":9223372036854775807\r\n", Reply.integer(Long.MAX_VALUE)},
            {":-9223372036854775807\r\n", Reply.integer(-Long.MAX_VALUE)},
            {"$5\r\nhello\r\n", Reply.bulk("hello")},
            {"$0\r\n\r\n", Reply.bulk(new byte[0])},
            {"$-1\r\n", Reply.NULL_BULK},
            {"$6\r\na\r\nb\u0000\u00ff\r\n", Reply.bulk(BINARY)},
            {"*0\r\n", Reply.EMPTY_ARRAY},
            {"*-1\r\n", Reply.NULL_ARRAY},
            {"*3\r\n:1\r\n*2\r\n+PONG\r\n$-1\r\n$3\r\nfoo\r\n",
                    Reply.array(List.of(Reply.integer(1), Reply.array(List.of(Reply.PONG, Reply.NULL_BULK)),
                            Reply.bulk("foo")))},
            {"*2\r\n*0\r\n*-1\r\n", Reply.array(List.of(Reply.EMPTY_ARRAY, Reply.NULL_ARRAY))},
    };

    @Test
    void parsesEveryReplyShapeWithCorrectOffsets() throws IOException {
        Pipeline p = pipeline();
        RespReader r = new RespReader(new ByteArrayInputStream(p.bytes));
        for (int i = 0; i < p.replies.size(); i++) {
            assertThat(r.read()).isEqualTo(p.replies.get(i));
            assertThat(r.bytesConsumed()).isEqualTo(p.ends.get(i));
        }
        assertThatThrownBy(r::read).isInstanceOf(EOFException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 64 * 1024})
    void survivesEveryChunkSize(int bufferSize) throws IOException {
        Pipeline p = pipeline();
        for (int chunk = 1; chunk <= p.bytes.length; chunk++) {
            p.assertParses(new RespReader(ChunkedInputStream.ofChunkSize(p.bytes, chunk), bufferSize), "chunk " + chunk);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 64 * 1024})
    void survivesASplitAtEveryByteBoundary(int bufferSize) throws IOException {
        Pipeline p = pipeline();
        for (int cut = 0; cut <= p.bytes.length; cut++) {
            p.assertParses(new RespReader(ChunkedInputStream.splitAt(p.bytes, cut), bufferSize), "cut " + cut);
        }
    }

    @Test
    void repliesOfCommonStatusesAndSmallIntegersAreShared() throws IOException {
        RespReader r = reader("+OK\r\n+PONG\r\n:7\r\n$-1\r\n*0\r\n");
        assertThat(r.read()).isSameAs(Reply.OK);
        assertThat(r.read()).isSameAs(Reply.PONG);
        assertThat(r.read()).isSameAs(Reply.integer(7));
        assertThat(r.read()).isSameAs(Reply.NULL_BULK);
        assertThat(r.read()).isSameAs(Reply.EMPTY_ARRAY);
    }

    @Test
    void linesLongerThanTheBufferGrowIt() throws IOException {
        String status = "x".repeat(1000);
        byte[] data = ("+" + status + "\r\n:5\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int chunk : new int[] {1, 7, 100, data.length}) {
            RespReader r = new RespReader(ChunkedInputStream.ofChunkSize(data, chunk), 16);
            assertThat(r.read()).isEqualTo(Reply.simple(status));
            assertThat(r.read()).isEqualTo(Reply.integer(5));
            assertThat(r.bytesConsumed()).isEqualTo(data.length);
        }
    }

    @Test
    void largeBulkValuesAreReadPastTheBuffer() throws IOException {
        byte[] value = new byte[300_000];
        new Random(1).nextBytes(value);
        byte[] data = concat(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII), value,
                "\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int chunk : new int[] {1, 4093, 65536, data.length}) {
            RespReader r = new RespReader(ChunkedInputStream.ofChunkSize(data, chunk));
            assertThat(r.read().asBytes()).isEqualTo(value);
            assertThat(r.bytesConsumed()).isEqualTo(data.length - 5);
            assertThat(r.read()).isSameAs(Reply.OK);
            assertThat(r.bytesConsumed()).isEqualTo(data.length);
        }
    }

    @Test
    void lineAndByteAccessShareTheBufferAndCounter() throws IOException {
        // What a replica sees: keepalive newlines, FULLRESYNC, a snapshot header and body, then the command stream.
        String text = "\n\n+FULLRESYNC 8de1787ba490483314a4d30f1c628bc5ecd2b3b2 0\r\n$10\r\n0123456789"
                + "*1\r\n$4\r\nPING\r\n+OK\r\n";
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        for (int chunk = 1; chunk <= data.length; chunk++) {
            RespReader r = new RespReader(ChunkedInputStream.ofChunkSize(data, chunk), 16);
            assertThat(r.readLine()).isEmpty();
            assertThat(r.readLine()).isEmpty();
            assertThat(r.bytesConsumed()).isEqualTo(2);
            assertThat(r.readLine()).isEqualTo("+FULLRESYNC 8de1787ba490483314a4d30f1c628bc5ecd2b3b2 0");
            assertThat(r.readLine()).isEqualTo("$10");
            long snapshotStart = r.bytesConsumed();
            assertThat(new String(r.readBytes(4), StandardCharsets.US_ASCII)).isEqualTo("0123");
            assertThat(r.inputStream().read()).isEqualTo('4');
            byte[] rest = new byte[5];
            assertThat(r.inputStream().readNBytes(rest, 0, 5)).isEqualTo(5);
            assertThat(new String(rest, StandardCharsets.US_ASCII)).isEqualTo("56789");
            assertThat(r.bytesConsumed()).isEqualTo(snapshotStart + 10);
            assertThat(r.read()).isEqualTo(Reply.array(List.of(Reply.bulk("PING"))));
            assertThat(r.bytesConsumed()).isEqualTo(data.length - 5);
            assertThat(r.inputStream().skip(2)).isEqualTo(2);
            assertThat(r.readLine()).isEqualTo("K");
            assertThat(r.bytesConsumed()).isEqualTo(data.length);
            assertThat(r.inputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void bufferedTellsWhetherTheNextReadWouldBlock() throws IOException {
        RespReader r = reader("+OK\r\n:1\r\n");
        assertThat(r.buffered()).isZero();
        r.read();
        assertThat(r.buffered()).isEqualTo(4);
        r.read();
        assertThat(r.buffered()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "?x\r\n", "\r\n", "+OK\n", ":12a\r\n", ":\r\n", ":-\r\n", ":99999999999999999999\r\n",
            ":9223372036854775808\r\n", "$-2\r\n", "$x\r\n", "*-5\r\n", "$3\r\nabcd\r\n", "*1\r\n?\r\n"})
    void rejectsMalformedInput(String input) {
        assertThatThrownBy(() -> reader(input).read()).isInstanceOf(ProtocolException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+OK", "+OK\r", "$5\r\nhel", "$5\r\nhello", "$5\r\nhello\r", "*2\r\n:1\r\n"})
    void reportsTruncatedInputAsEof(String input) {
        assertThatThrownBy(() -> reader(input).read()).isInstanceOf(EOFException.class);
    }

    @Test
    void randomReplyTreesRoundTripUnderRandomChunking() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<Reply> replies = new ArrayList<>();
            ByteArrayOutputStream encoded = new ByteArrayOutputStream();
            for (int i = random.nextInt(20) + 1; i > 0; i--) {
                Reply reply = randomReply(random, 3);
                replies.add(reply);
                encode(reply, encoded);
            }
            byte[] data = encoded.toByteArray();
            RespReader r = new RespReader(new RandomChunks(data, random), 16);
            for (Reply expected : replies) {
                assertThat(r.read()).isEqualTo(expected);
            }
            assertThat(r.bytesConsumed()).isEqualTo(data.length);
        }
    }

    private static Reply randomReply(Random random, int depth) {
        switch (random.nextInt(depth > 0 ? 6 : 5)) {
            case 0:
                return Reply.simple(randomText(random));
            case 1:
                return Reply.error("ERR " + randomText(random));
            case 2:
                return Reply.integer(random.nextBoolean() ? random.nextInt(2000) - 1000 : random.nextLong());
            case 3: {
                byte[] b = new byte[random.nextInt(40)];
                random.nextBytes(b);
                return Reply.bulk(b);
            }
            case 4:
                return random.nextBoolean() ? Reply.NULL_BULK : Reply.NULL_ARRAY;
            default: {
                List<Reply> items = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    items.add(randomReply(random, depth - 1));
                }
                return Reply.array(items);
            }
        }
    }

    private static String randomText(Random random) {
        char[] c = new char[random.nextInt(30)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) (' ' + random.nextInt(95));
        }
        return new String(c);
    }

    /** Independent reference encoder for the round-trip test. */
    private static void encode(Reply reply, ByteArrayOutputStream out) {
        Function<String, byte[]> ascii = s -> s.getBytes(StandardCharsets.UTF_8);
        if (reply instanceof Reply.Simple s) {
            out.writeBytes(ascii.apply("+" + s.value() + "\r\n"));
        } else if (reply instanceof Reply.Error e) {
            out.writeBytes(ascii.apply("-" + e.message() + "\r\n"));
        } else if (reply instanceof Reply.Int i) {
            out.writeBytes(ascii.apply(":" + i.value() + "\r\n"));
        } else if (reply instanceof Reply.Bulk b) {
            if (b.value() == null) {
                out.writeBytes(ascii.apply("$-1\r\n"));
            } else {
                out.writeBytes(ascii.apply("$" + b.value().length + "\r\n"));
                out.writeBytes(b.value());
                out.writeBytes(ascii.apply("\r\n"));
            }
        } else if (reply instanceof Reply.Array a) {
            if (a.items() == null) {
                out.writeBytes(ascii.apply("*-1\r\n"));
            } else {
                out.writeBytes(ascii.apply("*" + a.items().size() + "\r\n"));
                a.items().forEach(item -> encode(item, out));
            }
        }
    }

    private static RespReader reader(String text) {
        return new RespReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static Pipeline pipeline() {
        Pipeline p = new Pipeline();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object[] c : CASES) {
            // Literals are written byte-per-char except for the UTF-8 status case.
            String text = (String) c[0];
            byte[] bytes = text.contains("\u00e9") ? text.getBytes(StandardCharsets.UTF_8)
                    : text.getBytes(StandardCharsets.ISO_8859_1);
            out.writeBytes(bytes);
            p.replies.add((Reply) c[1]);
            p.ends.add((long) out.size());
        }
        p.bytes = out.toByteArray();
        return p;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static final class Pipeline {
        byte[] bytes;
        final List<Reply> replies = new ArrayList<>();
        final List<Long> ends = new ArrayList<>();

        void assertParses(RespReader r, String how) throws IOException {
            for (int i = 0; i < replies.size(); i++) {
                assertThat(r.read()).as(how + ", reply " + i).isEqualTo(replies.get(i));
                assertThat(r.bytesConsumed()).as(how + ", offset after reply " + i).isEqualTo(ends.get(i));
            }
            assertThatThrownBy(r::read).as(how).isInstanceOf(EOFException.class);
        }
    }

    /** Returns between 1 and 20 bytes per read. */
    private static final class RandomChunks extends InputStream {
        private final byte[] data;
        private final Random random;
        private int pos;

        RandomChunks(byte[] data, Random random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(20)), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
