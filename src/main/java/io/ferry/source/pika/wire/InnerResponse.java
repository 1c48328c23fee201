package io.ferry.source.pika.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code InnerMessage.InnerResponse} (master → replica), parsed leniently: 3.5 and 4.0 added required fields
 * (run_id, replication_id, db_instance_num) that older masters do not send, so presence is checked by hand.
 * {@link #encode()} writes the same fields back in tag order, which reproduces the recorded master bytes (for fakes).
 */
public final class InnerResponse {
    public enum Code {
        OK(1), ERROR(2), OTHER(3);

        private final int code;

        Code(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Code of(int code) throws PikaProtocolException {
            for (Code c : values()) if (c.code == code) return c;
            throw new PikaProtocolException("unknown InnerResponse StatusCode " + code);
        }
    }

    public enum TrySyncReply {
        OK(1), SYNC_POINT_BE_PURGED(2), SYNC_POINT_LARGER(3), ERROR(4);

        private final int code;

        TrySyncReply(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static TrySyncReply of(int code) throws PikaProtocolException {
            for (TrySyncReply c : values()) if (c.code == code) return c;
            throw new PikaProtocolException("unknown TrySync ReplyCode " + code);
        }
    }

    /** {@code tables_info} (3.x) / {@code dbs_info} (3.5+); instanceNum is 4.0's db_instance_num, -1 when absent. */
    public record DbInfo(String name, int slotNum, int instanceNum) {}

    public record MetaSync(boolean classicMode, List<DbInfo> dbs, String runId, String replicationId) {}

    /** masterOffset null and sessionId -1 when absent (e.g. kSyncPointLarger carries no session id). */
    public record TrySync(TrySyncReply reply, String db, int slot, BinlogOffset masterOffset, int sessionId) {}

    public record DbSync(String db, int slot, int sessionId) {}

    /** One item of a push; its offset is the position just after the item (the value to ack and resume from). */
    public record BinlogPush(String db, int slot, BinlogOffset offset, byte[] binlog, int sessionId) {
        /** A keepalive is an item with an empty binlog (sent every 2 s when idle, answered with a 0/0 ack). */
        public boolean keepalive() {
            return binlog.length == 0;
        }
    }

    /** One {@code remove_slave_node} entry of the reply: the node is the master's own. */
    public record Removed(Node node, String db, int slot) {}

    private final MessageType type;
    private final Code code;
    private final String reply;
    private final MetaSync metaSync;
    private final DbSync dbSync;
    private final TrySync trySync;
    private final List<BinlogPush> binlogs;
    private final List<Removed> removed;

    public InnerResponse(MessageType type, Code code, String reply, MetaSync metaSync, DbSync dbSync, TrySync trySync,
                         List<BinlogPush> binlogs, List<Removed> removed) {
        this.type = type;
        this.code = code;
        this.reply = reply;
        this.metaSync = metaSync;
        this.dbSync = dbSync;
        this.trySync = trySync;
        this.binlogs = List.copyOf(binlogs);
        this.removed = List.copyOf(removed);
    }

    public MessageType type() { return type; }

    /** null when the master left the (required) code out. */
    public Code code() { return code; }

    /** Error text such as "Slave AlreadyExist", "DB not found"; null when absent. */
    public String reply() { return reply; }

    public MetaSync metaSync() { return metaSync; }

    public TrySync trySync() { return trySync; }

    public DbSync dbSync() { return dbSync; }

    public List<BinlogPush> binlogs() { return binlogs; }

    public List<Removed> removed() { return removed; }

    public List<Node> removedNodes() {
        return removed.stream().map(Removed::node).toList();
    }

    public static InnerResponse parse(byte[] message) throws PikaProtocolException {
        ProtoReader r = new ProtoReader(message);
        MessageType type = InnerRequest.typeOf(r);
        Code code = r.has(2) ? Code.of(r.int32(2, 0)) : null;
        String reply = r.string(3);
        MetaSync meta = null;
        ProtoReader m;
        if ((m = r.message(4)) != null) {
            List<DbInfo> dbs = new ArrayList<>();
            for (byte[] e : m.repeated(2)) {
                ProtoReader d = new ProtoReader(e);
                dbs.add(new DbInfo(d.string(1), d.int32(2, 0), d.int32(3, -1)));
            }
            meta = new MetaSync(m.bool(1), List.copyOf(dbs), m.string(3), m.string(4));
        }
        DbSync dbSync = null;
        if ((m = r.message(5)) != null) {
            ProtoReader s = m.message(1);
            dbSync = new DbSync(s == null ? null : s.string(1), s == null ? 0 : (int) s.uint32(2, 0), m.int32(2, -1));
        }
        TrySync trySync = null;
        if ((m = r.message(6)) != null) {
            ProtoReader s = m.message(2);
            ProtoReader o = m.message(3);
            trySync = new TrySync(m.has(1) ? TrySyncReply.of(m.int32(1, 0)) : null, s == null ? null : s.string(1),
                    s == null ? 0 : (int) s.uint32(2, 0), o == null ? null : BinlogOffset.read(o), m.int32(4, -1));
        }
        List<BinlogPush> pushes = new ArrayList<>();
        for (byte[] e : r.repeated(7)) {
            ProtoReader b = new ProtoReader(e);
            ProtoReader s = b.message(1);
            ProtoReader o = b.message(2);
            byte[] binlog = b.bytes(3);
            pushes.add(new BinlogPush(s == null ? null : s.string(1), s == null ? 0 : (int) s.uint32(2, 0),
                    o == null ? BinlogOffset.ZERO : BinlogOffset.read(o), binlog == null ? new byte[0] : binlog, b.int32(4, -1)));
        }
        List<Removed> removed = new ArrayList<>();
        for (byte[] e : r.repeated(8)) {
            ProtoReader rs = new ProtoReader(e);
            ProtoReader s = rs.message(2);
            removed.add(new Removed(Node.read(rs.message(1)), s == null ? null : s.string(1), s == null ? 0 : (int) s.uint32(2, 0)));
        }
        return new InnerResponse(type, code, reply, meta, dbSync, trySync, pushes, removed);
    }

    /** Serializes the fields present, in tag order (what a fake master sends). */
    public byte[] encode() {
        ProtoWriter w = new ProtoWriter().varint(1, type.code());
        if (code != null) w.varint(2, code.code());
        if (reply != null) w.string(3, reply);
        if (metaSync != null) {
            ProtoWriter m = new ProtoWriter().bool(1, metaSync.classicMode());
            for (DbInfo d : metaSync.dbs()) {
                ProtoWriter dw = new ProtoWriter().string(1, d.name()).int32(2, d.slotNum());
                if (d.instanceNum() >= 0) dw.int32(3, d.instanceNum());
                m.message(2, dw);
            }
            if (metaSync.runId() != null) m.string(3, metaSync.runId());
            if (metaSync.replicationId() != null) m.string(4, metaSync.replicationId());
            w.message(4, m);
        }
        if (dbSync != null) w.message(5, new ProtoWriter().message(1, Node.slot(dbSync.db(), dbSync.slot())).int32(2, dbSync.sessionId()));
        if (trySync != null) {
            ProtoWriter t = new ProtoWriter().varint(1, trySync.reply().code()).message(2, Node.slot(trySync.db(), trySync.slot()));
            if (trySync.masterOffset() != null) {
                ProtoWriter o = new ProtoWriter();
                trySync.masterOffset().writeTo(o);
                t.message(3, o);
            }
            if (trySync.sessionId() >= 0) t.int32(4, trySync.sessionId());
            w.message(6, t);
        }
        for (BinlogPush p : binlogs) {
            ProtoWriter o = new ProtoWriter();
            p.offset().writeTo(o);
            w.message(7, new ProtoWriter().message(1, Node.slot(p.db(), p.slot())).message(2, o).bytes(3, p.binlog()).int32(4, p.sessionId()));
        }
        for (Removed rm : removed) w.message(8, new ProtoWriter().message(1, rm.node().encode()).message(2, Node.slot(rm.db(), rm.slot())));
        return w.toByteArray();
    }

    // ---- encoders for in-test fake masters ----

    /** The keepalive as recorded on 3.3.6, 3.5.5 and 4.0.1: one item, offset {0, 0, term 0, index 0}, empty binlog (29 bytes). */
    public static byte[] keepalive(String db, int sessionId) {
        return binlogPush(List.of(new BinlogPush(db, 0, new BinlogOffset(0, 0, 0, 0), new byte[0], sessionId)));
    }

    public static byte[] binlogPush(List<BinlogPush> items) {
        return new InnerResponse(MessageType.BINLOG_SYNC, Code.OK, null, null, null, null, items, List.of()).encode();
    }

    public static byte[] trySyncReply(Code code, TrySync t, String replyTextOrNull) {
        return new InnerResponse(MessageType.TRY_SYNC, code, replyTextOrNull, null, null, t, List.of(), List.of()).encode();
    }

    /** meta null for the refusals ("Slave AlreadyExist", "Auth with master error, Invalid masterauth"). */
    public static byte[] metaSyncReply(Code code, MetaSync meta, String replyTextOrNull) {
        return new InnerResponse(MessageType.META_SYNC, code, replyTextOrNull, meta, null, null, List.of(), List.of()).encode();
    }

    public static byte[] dbSyncReply(Code code, DbSync d, String replyTextOrNull) {
        return new InnerResponse(MessageType.DB_SYNC, code, replyTextOrNull, null, d, null, List.of(), List.of()).encode();
    }

    /** The reply names the master's own node for every removed db. */
    public static byte[] removeSlaveNodeReply(Node master, List<String> dbs) {
        return new InnerResponse(MessageType.REMOVE_SLAVE_NODE, Code.OK, null, null, null, null, List.of(),
                dbs.stream().map(db -> new Removed(master, db, 0)).toList()).encode();
    }
}
