package io.ferry.source.pika.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Minimal proto2 encoder: fields are written in the order called, which callers keep in tag order as the C++ side does. */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(int tag, long value) {
        rawVarint((long) tag << 3);
        rawVarint(value);
        return this;
    }

    /** int32 fields: negative values are sign-extended to 10 bytes, as protobuf does. */
    ProtoWriter int32(int tag, int value) {
        return varint(tag, value);
    }

    ProtoWriter bool(int tag, boolean value) {
        return varint(tag, value ? 1 : 0);
    }

    ProtoWriter bytes(int tag, byte[] value) {
        rawVarint(((long) tag << 3) | 2);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter string(int tag, String value) {
        return bytes(tag, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter message(int tag, ProtoWriter sub) {
        return bytes(tag, sub.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void rawVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
