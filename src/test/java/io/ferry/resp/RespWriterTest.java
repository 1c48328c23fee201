package io.ferry.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespWriterTest {

    @Test
    void encodesAnArrayOfBulkStrings() {
        RespWriter w = new RespWriter();
        w.command("SET", "k", "v\u00e9");
        assertThat(text(w)).isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\u00c3\u00a9\r\n");
    }

    @Test
    void encodesAnEmptyCommandAndEmptyArguments() {
        RespWriter w = new RespWriter();
        w.command(new byte[0][]);
        w.command(new byte[0]);
        assertThat(text(w)).isEqualTo("*0\r\n*1\r\n$0\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12345, 65536, 1_000_000})
    void writesLengthsAndReportsTheExactSize(int length) {
        byte[] arg = new byte[length];
        Arrays.fill(arg, (byte) 'x');
        byte[][] argv = {"SET".getBytes(StandardCharsets.US_ASCII), arg};
        RespWriter w = new RespWriter();
        w.command(argv);
        byte[] out = w.toByteArray();
        String head = "*2\r\n$3\r\nSET\r\n$" + length + "\r\n";
        assertThat(new String(out, 0, head.length(), StandardCharsets.ISO_8859_1)).isEqualTo(head);
        assertThat(out).hasSize(head.length() + length + 2);
        assertThat(RespWriter.encodedSize(argv)).isEqualTo(out.length);
    }

    @Test
    void writeToSendsEverythingAndEmptiesTheBuffer() throws IOException {
        RespWriter w = new RespWriter();
        w.command("PING");
        w.command("SET", "big", "y".repeat(3_000_000));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        int size = w.size();
        w.writeTo(sink);
        assertThat(sink.size()).isEqualTo(size);
        assertThat(w.size()).isZero();
        w.command("GET", "big");
        assertThat(text(w)).isEqualTo("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
    }

    @Test
    void outputParsesBackToTheArguments() throws IOException {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        RespWriter w = new RespWriter();
        w.command("HSET".getBytes(StandardCharsets.US_ASCII), binary, new byte[0]);
        RespReader r = new RespReader(new ByteArrayInputStream(w.toByteArray()));
        assertThat(r.read()).isEqualTo(Reply.array(List.of(Reply.bulk("HSET"), Reply.bulk(binary), Reply.bulk(new byte[0]))));
    }

    private static String text(RespWriter w) {
        return new String(w.toByteArray(), StandardCharsets.ISO_8859_1);
    }
}
