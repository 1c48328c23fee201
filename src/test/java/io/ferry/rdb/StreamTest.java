package io.ferry.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streams: listpack nodes with deleted entries, counters, and consumer groups with PEL and consumers. */
class StreamTest {
    static final long T = 1700000000000L;

    static StreamBytes.Node[] nodes() {
        return new StreamBytes.Node[] {
            new StreamBytes.Node(T, 0, "f1", "f2")
                    .same(T, 0, false, "v1", "v2")
                    .same(T, 1, true, "x", "y") // deleted: flagged, still in the listpack
                    .own(T + 5, 0, false, "other", "z")
                    .same(T + 10, 3, false, "1", "2"),
            new StreamBytes.Node(T + 20, 0, "a").same(T + 20, 0, false, "b")
        };
    }

    static final List<String> ENTRIES = List.of(
            "  entry 1700000000000-0 'f1' 'v1' 'f2' 'v2'",
            "  entry 1700000000005-0 'other' 'z'",
            "  entry 1700000000010-3 'f1' '1' 'f2' '2'",
            "  entry 1700000000020-0 'a' 'b'");

    @Test
    void version3WithDeletedEntriesAndGroups() {
        RdbBytes w = RdbBytes.redis(11).selectDb(0).key(RdbType.STREAM_LISTPACKS_3, "s");
        StreamBytes.nodes(w, nodes()).len(4);
        StreamBytes.id(w, T + 20, 0); // last id
        StreamBytes.id(w, T, 0); // first id
        StreamBytes.id(w, T, 1); // max deleted id
        w.len(5); // entries added
        w.len(2); // groups
        w.str("g1");
        StreamBytes.id(w, T + 10, 3).len(4) // last delivered, entries read
                .len(2)
                .raw(StreamBytes.id16(T, 0)).u64le(T + 1000).len(2)
                .raw(StreamBytes.id16(T + 5, 0)).u64le(T + 2000).len(1)
                .len(2)
                .str("alice").u64le(T + 3000).u64le(T + 2500).len(1).raw(StreamBytes.id16(T, 0))
                .str("bob").u64le(T + 4000).u64le(-1).len(1).raw(StreamBytes.id16(T + 5, 0));
        w.str("g2");
        StreamBytes.id(w, 0, 0).len64(-1).len(0).len(0); // entries read unknown: 2^64-1
        byte[] rdb = w.eof();

        List<String> expected = new ArrayList<>(List.of("header 11", "db 0", "key db=0 's' STREAM_LISTPACKS_3"));
        expected.addAll(ENTRIES);
        expected.addAll(List.of(
                "  stream length=4 last=1700000000020-0 first=1700000000000-0 max-deleted=1700000000000-1 added=5",
                "  group 'g1' last-delivered=1700000000010-3 read=4",
                "    pel 1700000000000-0 time=1700000001000 count=2",
                "    pel 1700000000005-0 time=1700000002000 count=1",
                "    consumer 'alice' seen=1700000003000 active=1700000002500 pending=[1700000000000-0]",
                "    consumer 'bob' seen=1700000004000 active=-1 pending=[1700000000005-0]",
                "  group 'g2' last-delivered=0-0 read=-1",
                "end"));
        assertThat(EveryChunking.transcript(rdb)).containsExactlyElementsOf(expected);
    }

    @Test
    void version1HasNoCountersAndNoActiveTimes() {
        RdbBytes w = RdbBytes.redis(9).selectDb(0).key(RdbType.STREAM_LISTPACKS, "s");
        StreamBytes.nodes(w, nodes()).len(4);
        StreamBytes.id(w, T + 20, 0).len(1).str("g");
        StreamBytes.id(w, T, 0).len(1).raw(StreamBytes.id16(T, 0)).u64le(T + 1).len(1)
                .len(1).str("c").u64le(T + 2).len(1).raw(StreamBytes.id16(T, 0));
        List<String> expected = new ArrayList<>(List.of("header 9", "db 0", "key db=0 's' STREAM_LISTPACKS"));
        expected.addAll(ENTRIES);
        expected.addAll(List.of(
                "  stream length=4 last=1700000000020-0 first=null max-deleted=null added=-1",
                "  group 'g' last-delivered=1700000000000-0 read=-1",
                "    pel 1700000000000-0 time=1700000000001 count=1",
                "    consumer 'c' seen=1700000000002 active=n/a pending=[1700000000000-0]",
                "end"));
        assertThat(EveryChunking.transcript(w.eof())).containsExactlyElementsOf(expected);
    }

    @Test
    void idsAboveLongMaxValue() {
        // Stream ids are unsigned 64-bit: XADD s 18446744073709551614-5 is legal.
        long ms = 0xfffffffffffffffeL;
        RdbBytes w = RdbBytes.redis(10).selectDb(0).key(RdbType.STREAM_LISTPACKS_2, "s");
        StreamBytes.nodes(w, new StreamBytes.Node(ms, 5, "f").same(ms, 5, false, "v")).len(1);
        StreamBytes.id(w, ms, 5);
        StreamBytes.id(w, ms, 5);
        StreamBytes.id(w, 0, 0);
        w.len(1).len(1).str("g");
        StreamBytes.id(w, ms, 5).len(1).len(0).len(0);
        assertThat(EveryChunking.transcript(w.eof())).containsExactly("header 10", "db 0", "key db=0 's' STREAM_LISTPACKS_2",
                "  entry 18446744073709551614-5 'f' 'v'",
                "  stream length=1 last=18446744073709551614-5 first=18446744073709551614-5 max-deleted=0-0 added=1",
                "  group 'g' last-delivered=18446744073709551614-5 read=1",
                "end");
    }

    @Test
    void emptyStreamWithOnlyAGroup() {
        // XGROUP CREATE ... MKSTREAM leaves a stream with no nodes.
        RdbBytes w = RdbBytes.redis(11).selectDb(0).key(RdbType.STREAM_LISTPACKS_3, "s").len(0).len(0);
        StreamBytes.id(w, 0, 0);
        StreamBytes.id(w, 0, 0);
        StreamBytes.id(w, 0, 0);
        w.len(0).len(1).str("g");
        StreamBytes.id(w, 0, 0).len(0).len(0).len(0);
        assertThat(EveryChunking.transcript(w.eof())).containsExactly("header 11", "db 0", "key db=0 's' STREAM_LISTPACKS_3",
                "  stream length=0 last=0-0 first=0-0 max-deleted=0-0 added=0",
                "  group 'g' last-delivered=0-0 read=0",
                "end");
    }
}
