package io.ferry.source.pika.wire;

/** A replica or master as the protocol names it: ip and main port (not the +2000 port). */
public record Node(String ip, int port) {
    ProtoWriter encode() {
        return new ProtoWriter().string(1, ip).int32(2, port);
    }

    static Node read(ProtoReader r) {
        return r == null ? null : new Node(r.string(1), r.int32(2, 0));
    }

    /** {@code Partition{table_name, partition_id}} (3.1–3.4) = {@code Slot{db_name, slot_id}} (3.5–4.0): same tags. */
    static ProtoWriter slot(String db, int slot) {
        return new ProtoWriter().string(1, db).varint(2, slot & 0xffffffffL);
    }

    @Override
    public String toString() {
        return ip + ":" + port;
    }
}
