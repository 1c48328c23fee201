package io.ferry.source.pika.snapshot;

import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RawValue;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.RdbType;
import io.ferry.rdb.StreamId;
import io.ferry.rdb.StreamValue;
import io.ferry.rdb.ValueSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records every key's events, checking the begin/end pairing and that only the key's type's callbacks come. */
final class CollectingHandler implements RdbHandler {
    static final class Key {
        final KeyHeader header;
        byte[] string;
        long sizeHint = -1;
        final Map<String, String> hash = new LinkedHashMap<>();
        final List<String> list = new ArrayList<>();
        final List<String> set = new ArrayList<>();
        final List<Map.Entry<String, Double>> zset = new ArrayList<>();
        final List<Map.Entry<StreamId, List<String>>> stream = new ArrayList<>();
        StreamValue streamValue;
        boolean ended;

        Key(KeyHeader header) {
            this.header = header;
        }

        String name() {
            return PikaFixture.str(header.key);
        }
    }

    final List<Key> keys = new ArrayList<>();
    final List<Integer> selectedDbs = new ArrayList<>();
    private Key open;

    @Override
    public void selectDb(int db) {
        selectedDbs.add(db);
    }

    @Override
    public ValueSink beginKey(KeyHeader header) {
        if (open != null) {
            throw new AssertionError("beginKey before endKey of " + open.name());
        }
        Key k = new Key(header);
        keys.add(k);
        open = k;
        int t = header.rdbType;
        return new ValueSink() {
            @Override
            public void sizeHint(long n) {
                k.sizeHint = n;
            }

            @Override
            public void string(byte[] v) {
                expect(t == RdbType.STRING);
                k.string = v;
            }

            @Override
            public void hashField(byte[] f, byte[] v, long exp) {
                expect(t == RdbType.HASH && exp == -1);
                k.hash.put(PikaFixture.str(f), PikaFixture.str(v));
            }

            @Override
            public void listElement(byte[] e) {
                expect(t == RdbType.LIST_QUICKLIST_2);
                k.list.add(PikaFixture.str(e));
            }

            @Override
            public void setMember(byte[] m) {
                expect(t == RdbType.SET);
                k.set.add(PikaFixture.str(m));
            }

            @Override
            public void zsetEntry(byte[] m, double s) {
                expect(t == RdbType.ZSET_2);
                k.zset.add(Map.entry(PikaFixture.str(m), s));
            }

            @Override
            public void streamEntry(StreamId id, List<byte[]> fields) {
                expect(t == RdbType.STREAM_LISTPACKS_3);
                k.stream.add(Map.entry(id, fields.stream().map(PikaFixture::str).toList()));
            }

            @Override
            public void stream(StreamValue s) {
                expect(t == RdbType.STREAM_LISTPACKS_3);
                k.streamValue = s;
            }

            private void expect(boolean ok) {
                if (!ok || open != k) {
                    throw new AssertionError("unexpected callback for " + k.name() + " of type " + RdbType.name(t));
                }
            }
        };
    }

    @Override
    public void endKey(KeyHeader header, RawValue raw) {
        if (open == null || open.header != header || raw != null) {
            throw new AssertionError("endKey without its beginKey or with a raw value");
        }
        open.ended = true;
        open = null;
    }

    /** type:name → key. */
    Map<String, Key> byTypeAndName() {
        Map<String, Key> m = new LinkedHashMap<>();
        for (Key k : keys) {
            if (m.put(RdbType.valueType(k.header.rdbType) + ":" + k.name(), k) != null) {
                throw new AssertionError("emitted twice: " + k.name());
            }
        }
        return m;
    }
}
