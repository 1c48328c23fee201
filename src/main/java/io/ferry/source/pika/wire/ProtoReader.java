package io.ferry.source.pika.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lenient proto2 decoder: reads every field of one message into a list; all fields are optional to it and unknown ones
 * (including fixed32/fixed64) are kept but ignored, so newer Pika versions with extra required fields still parse.
 */
final class ProtoReader {
    private record Field(int tag, long value, byte[] bytes) {}

    private final List<Field> fields = new ArrayList<>();

    ProtoReader(byte[] buf) throws PikaProtocolException {
        int[] pos = {0};
        while (pos[0] < buf.length) {
            long key = readVarint(buf, pos);
            int tag = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (tag <= 0) throw new PikaProtocolException("protobuf field with tag " + tag);
            switch (wire) {
                case 0 -> fields.add(new Field(tag, readVarint(buf, pos), null));
                case 1 -> fields.add(new Field(tag, fixed(buf, pos, 8), null));
                case 5 -> fields.add(new Field(tag, fixed(buf, pos, 4), null));
                case 2 -> {
                    long len = readVarint(buf, pos);
                    if (len < 0 || len > buf.length - pos[0]) throw new PikaProtocolException("protobuf field " + tag + " of " + len + " bytes runs past the message end");
                    byte[] b = new byte[(int) len];
                    System.arraycopy(buf, pos[0], b, 0, b.length);
                    pos[0] += b.length;
                    fields.add(new Field(tag, 0, b));
                }
                default -> throw new PikaProtocolException("protobuf wire type " + wire + " (field " + tag + ") is not supported");
            }
        }
    }

    boolean has(int tag) {
        for (Field f : fields) if (f.tag == tag) return true;
        return false;
    }

    /** Last occurrence wins, as proto2 does for scalars. */
    long varint(int tag, long absent) {
        long v = absent;
        for (Field f : fields) if (f.tag == tag && f.bytes == null) v = f.value;
        return v;
    }

    long uint32(int tag, long absent) {
        long v = varint(tag, Long.MIN_VALUE);
        return v == Long.MIN_VALUE ? absent : v & 0xffffffffL;
    }

    int int32(int tag, int absent) {
        long v = varint(tag, Long.MIN_VALUE);
        return v == Long.MIN_VALUE ? absent : (int) v;
    }

    boolean bool(int tag) {
        return varint(tag, 0) != 0;
    }

    byte[] bytes(int tag) {
        byte[] v = null;
        for (Field f : fields) if (f.tag == tag && f.bytes != null) v = f.bytes;
        return v;
    }

    String string(int tag) {
        byte[] b = bytes(tag);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    List<byte[]> repeated(int tag) {
        List<byte[]> out = new ArrayList<>();
        for (Field f : fields) if (f.tag == tag && f.bytes != null) out.add(f.bytes);
        return out;
    }

    /** The nested message, or null when absent. */
    ProtoReader message(int tag) throws PikaProtocolException {
        byte[] b = bytes(tag);
        return b == null ? null : new ProtoReader(b);
    }

    private static long readVarint(byte[] buf, int[] pos) throws PikaProtocolException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= buf.length) throw new PikaProtocolException("protobuf varint runs past the message end");
            byte b = buf[pos[0]++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) return v;
        }
        throw new PikaProtocolException("protobuf varint longer than 10 bytes");
    }

    private static long fixed(byte[] buf, int[] pos, int n) throws PikaProtocolException {
        if (buf.length - pos[0] < n) throw new PikaProtocolException("protobuf fixed field runs past the message end");
        long v = 0;
        for (int i = 0; i < n; i++) v |= (buf[pos[0] + i] & 0xffL) << (8 * i);
        pos[0] += n;
        return v;
    }
}
