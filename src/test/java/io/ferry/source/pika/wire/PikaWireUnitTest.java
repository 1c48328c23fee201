package io.ferry.source.pika.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing, keepalive bytes, malformed binlog items, lenient parsing. */
class PikaWireUnitTest {
    static final HexFormat HEX = HexFormat.of();

    @Test
    void keepaliveIsTheRecorded29ByteMessage() {
        // recorded on 3.3.6, 3.5.5 and 4.0.1 (session id is the last byte)
        assertThat(HEX.formatHex(Frames.frame(InnerResponse.keepalive("db0", 1))))
                .isEqualTo("0000001d080410013a170a070a036462301000120808001000180020001a002001");
    }

    @Test
    void framesReadWholeBodiesAcrossSegmentsAndReportEof() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frames.write(out, new byte[70_104]);
        Frames.write(out, new byte[] {8, 5});
        InputStream trickle = new ByteArrayInputStream(out.toByteArray()) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7)); // arbitrary TCP segmentation
            }
        };
        assertThat(Frames.read(trickle, 1 << 20)).hasSize(70_104);
        assertThat(Frames.read(trickle, 1 << 20)).containsExactly(8, 5);
        assertThat(Frames.read(trickle, 1 << 20)).isNull();
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(new byte[] {0, 0}), 100)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 9, 1}), 100)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(new byte[] {0, 0, 1, 0}), 100)).isInstanceOf(PikaProtocolException.class);
    }

    /** PIKA.md §6.1's recorded example (replication.transcript.jsonl seq 7). */
    static final String ITEM = "0100" + "8536026b" + "00000000" + "0400000000000000" + "00000000" + "e500000000000000" + "1f000000"
            + HEX.formatHex("*3\r\n$3\r\nSET\r\n$4\r\ntr:s\r\n$2\r\nv1\r\n".getBytes(StandardCharsets.US_ASCII));

    @Test
    void binlogItemHeaderAndArgv() throws Exception {
        BinlogItem item = BinlogItem.parse(HEX.parseHex(ITEM));
        assertThat(item.type()).isEqualTo(1);
        assertThat(item.execTime()).isEqualTo(0x6b023685L);
        assertThat(item.logicId()).isEqualTo(4);
        assertThat(item.offset()).isEqualTo(229);
        assertThat(item.command()).isEqualTo("SET");
        assertThat(item.argv()).isDeepEqualTo(new byte[][] {"SET".getBytes(), "tr:s".getBytes(), "v1".getBytes()});
        assertThat(HEX.formatHex(BinlogItem.encode(item))).isEqualTo(ITEM);
    }

    @Test
    void malformedBinlogItemsThrowTheTypedException() {
        byte[] ok = HEX.parseHex(ITEM);
        List<byte[]> bad = List.of(
                java.util.Arrays.copyOf(ok, 33),                       // short header
                java.util.Arrays.copyOf(ok, ok.length - 1),            // content_len says 31, 30 follow
                java.util.Arrays.copyOf(ok, ok.length + 1),            // one byte too many
                withContent(ok, "*3\r\n$3\r\nSET\r\n$4\r\ntr:s\r\n$9\r\nv1\r\n"),  // bulk runs past the end
                withContent(ok, "*2\r\n$3\r\nSET\r\n$4\r\ntr:s\r\n$2\r\nv1\r\n"),  // trailing bytes
                withContent(ok, "+3\r\n$3\r\nSET\r\n$4\r\ntr:s\r\n$2\r\nv1\r\n"),  // not an array
                withContent(ok, "*3\r\n$3\r\nSETX\n$4\r\ntr:s\r\n$2\r\nv1\r\n"),  // missing CRLF
                withContent(ok, "*0\r\n"));
        for (byte[] b : bad) assertThatThrownBy(() -> BinlogItem.parse(b)).as(HEX.formatHex(b)).isInstanceOf(PikaProtocolException.class);
    }

    private static byte[] withContent(byte[] item, String resp) {
        byte[] c = resp.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = java.util.Arrays.copyOf(item, 34 + c.length);
        System.arraycopy(c, 0, b, 34, c.length);
        b[30] = (byte) c.length;
        b[31] = b[32] = b[33] = 0;
        return b;
    }

    @Test
    void responsesParseLenientlyAndSkipUnknownFields() throws Exception {
        // a kOk TrySync reply plus unknown fields of every wire type (varint 20, fixed64 21, bytes 22, fixed32 23)
        byte[] known = InnerResponse.trySyncReply(InnerResponse.Code.OK,
                new InnerResponse.TrySync(InnerResponse.TrySyncReply.OK, "db0", 0, BinlogOffset.of(0, 140481), 7), null);
        byte[] extra = HEX.parseHex("a00101" + "a9010102030405060708" + "b201026162" + "bd0101020304");
        byte[] msg = java.util.Arrays.copyOf(known, known.length + extra.length);
        System.arraycopy(extra, 0, msg, known.length, extra.length);
        InnerResponse r = InnerResponse.parse(msg);
        assertThat(r.trySync()).isEqualTo(new InnerResponse.TrySync(InnerResponse.TrySyncReply.OK, "db0", 0, BinlogOffset.of(0, 140481), 7));
        assertThat(r.metaSync()).isNull();
        assertThatThrownBy(() -> InnerResponse.parse(HEX.parseHex("0804120a61"))).isInstanceOf(PikaProtocolException.class); // truncated
        assertThatThrownBy(() -> InnerResponse.parse(HEX.parseHex("1001"))).isInstanceOf(PikaProtocolException.class); // no type
    }

    @Test
    void requestsRoundTrip() throws Exception {
        Node n = new Node("10.0.0.7", 9221);
        InnerRequest.Parsed p = InnerRequest.parse(InnerRequest.binlogSync(n, "db1", 0, BinlogOffset.of(3, 82), new BinlogOffset(4, 352, 0, 19), 5, false));
        assertThat(p.node()).isEqualTo(n);
        assertThat(p.ackStart()).isEqualTo(BinlogOffset.of(3, 82));
        assertThat(p.ackEnd()).isEqualTo(new BinlogOffset(4, 352, 0, 19));
        assertThat(p.sessionId()).isEqualTo(5);
        assertThat(InnerRequest.parse(InnerRequest.metaSync(n, "s3cret")).auth()).isEqualTo("s3cret");
        assertThat(InnerRequest.parse(InnerRequest.removeSlaveNode(n, List.of("db0", "db1", "db2"))).removedDbs()).containsExactly("db0", "db1", "db2");
    }
}
