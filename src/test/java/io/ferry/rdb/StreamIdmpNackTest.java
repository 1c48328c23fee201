package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Redis RDB 13's STREAM_LISTPACKS_4 (idempotent-producer state after the groups) and RDB 14's
 * STREAM_LISTPACKS_5 (each group's NACK zone after its consumers), read split at every byte.
 */
class StreamIdmpNackTest {
    static final long T = 1796158647818L;

    /** One node with entries T-0 and T-1, then length, last/first/max-deleted ids, entries added. */
    private static RdbBytes streamHead(int version, int type) {
        RdbBytes w = RdbBytes.redis(version).selectDb(0).key(type, "s");
        StreamBytes.nodes(w, new StreamBytes.Node(T, 0, "f").same(T, 0, false, "v1").same(T, 1, false, "v2")).len(2);
        StreamBytes.id(w, T, 1);
        StreamBytes.id(w, T, 0);
        StreamBytes.id(w, 0, 0);
        return w.len(2);
    }

    @Test
    void version4HasProducersWithTheirIdempotencyIds() {
        RdbBytes w = streamHead(13, RdbType.STREAM_LISTPACKS_4).len(0); // no groups
        w.len(86400).len(100).len(2) // duration, max entries, producers
                .str(new byte[] {'p', 0, (byte) 0xff}).len(1).str(new byte[] {'i', 0, (byte) 0xff});
        StreamBytes.id(w, T, 1);
        w.str("producer-a").len(2).str("iid-1");
        StreamBytes.id(w, T, 0);
        w.str("iid-2");
        StreamBytes.id(w, T, 1);
        w.len(3).len(2); // iids added, duplicates
        assertThat(EveryChunking.transcript(w.eof())).containsExactly("header 13", "db 0", "key db=0 's' STREAM_LISTPACKS_4",
                "  entry 1796158647818-0 'f' 'v1'",
                "  entry 1796158647818-1 'f' 'v2'",
                "  stream length=2 last=1796158647818-1 first=1796158647818-0 max-deleted=0-0 added=2",
                "  idmp duration=86400 max=100 added=3 duplicates=2",
                "    producer 'p\\x00\\xff' 'i\\x00\\xff'=1796158647818-1",
                "    producer 'producer-a' 'iid-1'=1796158647818-0 'iid-2'=1796158647818-1",
                "end");
    }

    @Test
    void version5ListsNackedEntriesPerGroupAfterItsConsumers() {
        RdbBytes w = streamHead(14, RdbType.STREAM_LISTPACKS_5).len(2);
        w.str("g");
        StreamBytes.id(w, T, 1).len(2) // last delivered, entries read
                .len(2)
                .raw(StreamBytes.id16(T, 0)).u64le(T + 5).len(3)
                .raw(StreamBytes.id16(T, 1)).u64le(0).len(0x7fffffffffffffffL) // XNACK FATAL: 2^63-1 deliveries
                .len(1).str("worker").u64le(T + 6).u64le(T + 7).len(1).raw(StreamBytes.id16(T, 0))
                .len(1).raw(StreamBytes.id16(T, 1)); // the NACK zone
        w.str("g2");
        StreamBytes.id(w, 0, 0).len64(-1).len(0).len(0).len(0);
        w.len(100).len(100).len(0).len(0).len(0); // a stream never configured: server defaults, no producers
        assertThat(EveryChunking.transcript(w.eof())).containsExactly("header 14", "db 0", "key db=0 's' STREAM_LISTPACKS_5",
                "  entry 1796158647818-0 'f' 'v1'",
                "  entry 1796158647818-1 'f' 'v2'",
                "  stream length=2 last=1796158647818-1 first=1796158647818-0 max-deleted=0-0 added=2",
                "  group 'g' last-delivered=1796158647818-1 read=2",
                "    pel 1796158647818-0 time=1796158647823 count=3",
                "    pel 1796158647818-1 time=0 count=9223372036854775807",
                "    consumer 'worker' seen=1796158647824 active=1796158647825 pending=[1796158647818-0]",
                "    nacked [1796158647818-1]",
                "  group 'g2' last-delivered=0-0 read=-1",
                "    nacked []",
                "  idmp duration=100 max=100 added=0 duplicates=0",
                "end");
    }
}
