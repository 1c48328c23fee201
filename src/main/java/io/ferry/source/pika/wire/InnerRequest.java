package io.ferry.source.pika.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code InnerMessage.InnerRequest} (replica → master). One encoder serves 3.1–3.4 (table/partition) and 3.5–4.0
 * (db/slot): the tags and wire types are the same. Every field the C++ side declares required is written, in tag order.
 */
public final class InnerRequest {
    private InnerRequest() {}

    public static byte[] metaSync(Node node, String authOrNull) {
        ProtoWriter m = new ProtoWriter().message(1, node.encode());
        if (authOrNull != null) m.string(2, authOrNull);
        return new ProtoWriter().varint(1, MessageType.META_SYNC.code()).message(2, m).toByteArray();
    }

    public static byte[] trySync(Node node, String db, int slot, BinlogOffset at) {
        return new ProtoWriter().varint(1, MessageType.TRY_SYNC.code()).message(3, syncBody(node, db, slot, at)).toByteArray();
    }

    public static byte[] dbSync(Node node, String db, int slot, BinlogOffset at) {
        return new ProtoWriter().varint(1, MessageType.DB_SYNC.code()).message(4, syncBody(node, db, slot, at)).toByteArray();
    }

    /** Acks (firstSend false) and the stream start (firstSend true, ackStart = ackEnd). term/index are sent only when >= 0. */
    public static byte[] binlogSync(Node node, String db, int slot, BinlogOffset ackStart, BinlogOffset ackEnd, int sessionId, boolean firstSend) {
        ProtoWriter start = new ProtoWriter();
        ackStart.writeTo(start);
        ProtoWriter end = new ProtoWriter();
        ackEnd.writeTo(end);
        ProtoWriter b = new ProtoWriter().message(1, node.encode()).string(2, db).varint(3, slot & 0xffffffffL)
                .message(4, start).message(5, end).int32(6, sessionId).bool(7, firstSend);
        return new ProtoWriter().varint(1, MessageType.BINLOG_SYNC.code()).message(5, b).toByteArray();
    }

    /** One {@code remove_slave_node} entry per db, slot 0 each. */
    public static byte[] removeSlaveNode(Node node, List<String> dbs) {
        ProtoWriter w = new ProtoWriter().varint(1, MessageType.REMOVE_SLAVE_NODE.code());
        for (String db : dbs) w.message(6, new ProtoWriter().message(1, node.encode()).message(2, Node.slot(db, 0)));
        return w.toByteArray();
    }

    private static ProtoWriter syncBody(Node node, String db, int slot, BinlogOffset at) {
        ProtoWriter off = new ProtoWriter();
        at.writeTo(off);
        return new ProtoWriter().message(1, node.encode()).message(2, Node.slot(db, slot)).message(3, off);
    }

    /** What a request says; fields that do not belong to its type are null / -1 / false / empty. */
    public record Parsed(MessageType type, Node node, String auth, String db, int slot, BinlogOffset offset,
                         BinlogOffset ackStart, BinlogOffset ackEnd, int sessionId, boolean firstSend, List<String> removedDbs) {}

    /** Lenient parse (for fake masters and tests). */
    public static Parsed parse(byte[] message) throws PikaProtocolException {
        ProtoReader r = new ProtoReader(message);
        MessageType type = typeOf(r);
        Node node = null;
        String auth = null, db = null;
        int slot = -1, sessionId = -1;
        BinlogOffset offset = null, ackStart = null, ackEnd = null;
        boolean firstSend = false;
        List<String> removed = new ArrayList<>();
        ProtoReader m;
        if ((m = r.message(2)) != null) { // meta_sync
            node = Node.read(m.message(1));
            auth = m.string(2);
        }
        for (int tag : new int[] {3, 4}) { // try_sync, db_sync
            if ((m = r.message(tag)) != null) {
                node = Node.read(m.message(1));
                ProtoReader s = m.message(2);
                if (s != null) {
                    db = s.string(1);
                    slot = (int) s.uint32(2, 0);
                }
                ProtoReader o = m.message(3);
                offset = o == null ? null : BinlogOffset.read(o);
            }
        }
        if ((m = r.message(5)) != null) { // binlog_sync
            node = Node.read(m.message(1));
            db = m.string(2);
            slot = (int) m.uint32(3, 0);
            ProtoReader o = m.message(4);
            ackStart = o == null ? null : BinlogOffset.read(o);
            o = m.message(5);
            ackEnd = o == null ? null : BinlogOffset.read(o);
            sessionId = m.int32(6, -1);
            firstSend = m.bool(7);
        }
        for (byte[] e : r.repeated(6)) { // remove_slave_node
            ProtoReader rs = new ProtoReader(e);
            node = Node.read(rs.message(1));
            ProtoReader s = rs.message(2);
            removed.add(s == null ? null : s.string(1));
        }
        return new Parsed(type, node, auth, db, slot, offset, ackStart, ackEnd, sessionId, firstSend, java.util.Collections.unmodifiableList(removed));
    }

    static MessageType typeOf(ProtoReader r) throws PikaProtocolException {
        if (!r.has(1)) throw new PikaProtocolException("InnerMessage without a type");
        int code = r.int32(1, 0);
        try {
            return MessageType.of(code);
        } catch (IllegalArgumentException e) {
            throw new PikaProtocolException("unknown InnerMessage type " + code);
        }
    }
}
