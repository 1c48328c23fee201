package io.ferry.source.pika.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code RsyncService.RsyncRequest/RsyncResponse}: the 3.5/4.0 full-sync pull on {@code master_port + 10001}
 * (same 4-byte framing as the replication port, no authentication).
 */
public final class RsyncMessages {
    private RsyncMessages() {}

    public enum Type {
        META(1), FILE(2);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Type of(int code) throws PikaProtocolException {
            for (Type t : values()) if (t.code == code) return t;
            throw new PikaProtocolException("unknown RsyncService type " + code);
        }
    }

    public enum Status {
        OK(1), ERR(2);

        private final int code;

        Status(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Status of(int code) throws PikaProtocolException {
            for (Status s : values()) if (s.code == code) return s;
            throw new PikaProtocolException("unknown RsyncService status " + code);
        }
    }

    /** filename null (count/offset -1) for a kRsyncMeta request. */
    public record Request(Type type, int readerIndex, String db, int slot, String filename, long count, long offset) {}

    /** {@code file_resp}: up to the requested count of bytes at offset; eof when offset + count reaches the file size. */
    public record FileChunk(boolean eof, long count, long offset, byte[] data, String checksum, String filename) {}

    /** filenames null without meta_resp; file null without file_resp. snapshotUuid = MD5 hex of the dump's info file ("" on kErr). */
    public record Response(Type type, int readerIndex, String snapshotUuid, String db, int slot, Status code, List<String> filenames, FileChunk file) {}

    public static byte[] metaRequest(String db, int readerIndex) {
        return new ProtoWriter().varint(1, Type.META.code()).int32(2, readerIndex).string(3, db).varint(4, 0).toByteArray();
    }

    public static byte[] fileRequest(String db, int readerIndex, String filename, long count, long offset) {
        return new ProtoWriter().varint(1, Type.FILE.code()).int32(2, readerIndex).string(3, db).varint(4, 0)
                .message(5, new ProtoWriter().string(1, filename).varint(2, count).varint(3, offset)).toByteArray();
    }

    public static Request parseRequest(byte[] message) throws PikaProtocolException {
        ProtoReader r = new ProtoReader(message);
        ProtoReader f = r.message(5);
        return new Request(Type.of(r.int32(1, 0)), r.int32(2, 0), r.string(3), (int) r.uint32(4, 0),
                f == null ? null : f.string(1), f == null ? -1 : f.varint(2, 0), f == null ? -1 : f.varint(3, 0));
    }

    public static Response parseResponse(byte[] message) throws PikaProtocolException {
        ProtoReader r = new ProtoReader(message);
        ProtoReader meta = r.message(7);
        List<String> names = null;
        if (meta != null) {
            names = new ArrayList<>();
            for (byte[] n : meta.repeated(1)) names.add(new String(n, java.nio.charset.StandardCharsets.UTF_8));
            names = List.copyOf(names);
        }
        ProtoReader f = r.message(8);
        FileChunk chunk = null;
        if (f != null) {
            byte[] data = f.bytes(4);
            chunk = new FileChunk(f.int32(1, 0) != 0, f.varint(2, 0), f.varint(3, 0), data == null ? new byte[0] : data, f.string(5), f.string(6));
        }
        return new Response(Type.of(r.int32(1, 0)), r.int32(2, 0), r.string(3), r.string(4), (int) r.uint32(5, 0),
                r.has(6) ? Status.of(r.int32(6, 0)) : null, names, chunk);
    }

    /** For fake RsyncServices: every required field, in tag order. */
    public static byte[] encode(Response resp) {
        ProtoWriter w = new ProtoWriter().varint(1, resp.type().code()).int32(2, resp.readerIndex())
                .string(3, resp.snapshotUuid()).string(4, resp.db()).varint(5, resp.slot() & 0xffffffffL).varint(6, resp.code().code());
        if (resp.filenames() != null) {
            ProtoWriter m = new ProtoWriter();
            for (String n : resp.filenames()) m.string(1, n);
            w.message(7, m);
        }
        FileChunk c = resp.file();
        if (c != null) {
            w.message(8, new ProtoWriter().int32(1, c.eof() ? 1 : 0).varint(2, c.count()).varint(3, c.offset()).bytes(4, c.data())
                    .string(5, c.checksum() == null ? "" : c.checksum()).string(6, c.filename()));
        }
        return w.toByteArray();
    }
}
