package io.ferry.source.pika.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The framing of both Pika protobuf ports: {@code [4-byte big-endian length][message]}. */
public final class Frames {
    private Frames() {}

    /** One message body; null at a clean EOF before a frame; EOFException when the stream ends inside one. */
    public static byte[] read(InputStream in, int maxLength) throws IOException {
        int b0 = in.read();
        if (b0 < 0) return null;
        byte[] rest = in.readNBytes(3);
        if (rest.length < 3) throw new EOFException("stream ended inside a frame length");
        long len = ((long) b0 << 24) | ((rest[0] & 0xffL) << 16) | ((rest[1] & 0xffL) << 8) | (rest[2] & 0xffL);
        if (len > maxLength) throw new PikaProtocolException("frame of " + len + " bytes exceeds the limit of " + maxLength);
        byte[] body = in.readNBytes((int) len); // loops until len bytes or EOF
        if (body.length < len) throw new EOFException("stream ended after " + body.length + " of " + len + " frame bytes");
        return body;
    }

    public static void write(OutputStream out, byte[] message) throws IOException {
        int n = message.length;
        out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.write(message);
    }

    /** The frame as one array (length prefix + message), e.g. to compare with a recording. */
    public static byte[] frame(byte[] message) {
        byte[] f = new byte[message.length + 4];
        int n = message.length;
        f[0] = (byte) (n >>> 24);
        f[1] = (byte) (n >>> 16);
        f[2] = (byte) (n >>> 8);
        f[3] = (byte) n;
        System.arraycopy(message, 0, f, 4, n);
        return f;
    }
}
