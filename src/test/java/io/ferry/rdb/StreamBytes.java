package io.ferry.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a stream value (STREAM_LISTPACKS v1/v2/v3) the way t_stream.c and rdb.c lay it out:
 * radix-tree nodes (16-byte big-endian master id + listpack of a master entry and delta-encoded
 * entries), then length, ids, counters and consumer groups.
 */
public final class StreamBytes {
    /** One node's listpack; entries are added with ids relative to the node's master id. */
    static final class Node {
        final long ms;
        final long seq;
        final List<String> masterFields;
        private final ListpackBytes entries = new ListpackBytes();
        private int live;
        private int deleted;

        Node(long ms, long seq, String... masterFields) {
            this.ms = ms;
            this.seq = seq;
            this.masterFields = List.of(masterFields);
        }

        /** An entry with the master's fields (SAMEFIELDS): only the values are stored. */
        Node same(long ms, long seq, boolean isDeleted, String... values) {
            entries.integer((isDeleted ? 1 : 0) | 2).integer(ms - this.ms).integer(seq - this.seq);
            for (String v : values) {
                entries.element(v.getBytes(StandardCharsets.UTF_8));
            }
            entries.integer(values.length + 3);
            count(isDeleted);
            return this;
        }

        /** An entry with its own fields: count, then field/value pairs. */
        Node own(long ms, long seq, boolean isDeleted, String... fieldsAndValues) {
            int n = fieldsAndValues.length / 2;
            entries.integer(isDeleted ? 1 : 0).integer(ms - this.ms).integer(seq - this.seq).integer(n);
            for (String s : fieldsAndValues) {
                entries.element(s.getBytes(StandardCharsets.UTF_8));
            }
            entries.integer(n + 3 + n + 1);
            count(isDeleted);
            return this;
        }

        private void count(boolean isDeleted) {
            if (isDeleted) {
                deleted++;
            } else {
                live++;
            }
        }

        byte[] listpack() {
            ListpackBytes lp = new ListpackBytes().integer(live).integer(deleted).integer(masterFields.size());
            masterFields.forEach(lp::str);
            lp.integer(0);
            byte[] head = lp.build();
            byte[] tail = entries.build();
            // concatenate the two listpacks' bodies into one
            int headBody = head.length - 7;
            int tailBody = tail.length - 7;
            byte[] out = new byte[6 + headBody + tailBody + 1];
            System.arraycopy(head, 6, out, 6, headBody);
            System.arraycopy(tail, 6, out, 6 + headBody, tailBody);
            int total = out.length;
            int count = lp.count() + entries.count();
            out[0] = (byte) total;
            out[1] = (byte) (total >> 8);
            out[2] = (byte) (total >> 16);
            out[3] = (byte) (total >> 24);
            out[4] = (byte) Math.min(count, 65535);
            out[5] = (byte) (Math.min(count, 65535) >> 8);
            out[out.length - 1] = (byte) 0xff;
            return out;
        }

        byte[] key() {
            return id16(ms, seq);
        }
    }

    public static byte[] id16(long ms, long seq) {
        byte[] k = new byte[16];
        for (int i = 0; i < 8; i++) {
            k[i] = (byte) (ms >>> (56 - 8 * i));
            k[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return k;
    }

    static RdbBytes nodes(RdbBytes w, Node... nodes) {
        w.len(nodes.length);
        for (Node n : nodes) {
            w.str(n.key()).str(n.listpack());
        }
        return w;
    }

    static RdbBytes id(RdbBytes w, long ms, long seq) {
        return w.len(ms).len(seq);
    }

    private StreamBytes() {}
}
