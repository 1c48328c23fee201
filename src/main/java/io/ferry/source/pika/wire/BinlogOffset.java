package io.ferry.source.pika.wire;

/** PB {@code BinlogOffset}. term/index are -1 when absent on the wire (fake replicas and 3.2 masters leave them out). */
public record BinlogOffset(long filenum, long offset, long term, long index) {
    public static final BinlogOffset ZERO = of(0, 0);

    public static BinlogOffset of(long filenum, long offset) {
        return new BinlogOffset(filenum, offset, -1, -1);
    }

    public boolean isZero() {
        return filenum == 0 && offset == 0;
    }

    void writeTo(ProtoWriter w) {
        w.varint(1, filenum).varint(2, offset);
        if (term >= 0) w.varint(3, term);
        if (index >= 0) w.varint(4, index);
    }

    static BinlogOffset read(ProtoReader r) {
        return new BinlogOffset(r.uint32(1, 0), r.varint(2, 0), r.has(3) ? r.uint32(3, 0) : -1, r.has(4) ? r.varint(4, 0) : -1);
    }

    @Override
    public String toString() {
        return filenum + "/" + offset + (term >= 0 || index >= 0 ? " (term " + term + ", index " + index + ")" : "");
    }
}
