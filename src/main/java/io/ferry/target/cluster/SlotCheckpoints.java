package io.ferry.target.cluster;

import io.ferry.convert.Args;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import io.ferry.route.SlotTags;
import io.ferry.target.StreamApplier;
import java.util.ArrayList;
import java.util.List;

/**
 * Ferry's keys on a cluster: one checkpoint key per slot, {@code __ferry_checkpoint:{tag}}, in
 * the slot it speaks for (so it moves with the slot's data in a reshard), and a probe key per
 * slot that never exists (touching it tells whether the slot is served here and stable).
 */
final class SlotCheckpoints {
    private static final byte[][] KEYS = new byte[io.ferry.route.Slots.COUNT][];
    private static final byte[][] PROBES = new byte[io.ferry.route.Slots.COUNT][];

    private SlotCheckpoints() {}

    static byte[] key(int slot) {
        byte[] k = KEYS[slot];
        if (k == null) {
            k = Args.b(StreamApplier.CHECKPOINT_KEY + "{" + SlotTags.tag(slot) + "}");
            KEYS[slot] = k;
        }
        return k;
    }

    static byte[] probe(int slot) {
        byte[] k = PROBES[slot];
        if (k == null) {
            k = Args.b("__ferry_probe:{" + SlotTags.tag(slot) + "}");
            PROBES[slot] = k;
        }
        return k;
    }

    /** The checkpoint keys held by the node behind {@code c}. */
    static List<byte[]> keysOn(RedisConnection c) {
        List<byte[]> keys = new ArrayList<>();
        String cursor = "0";
        do {
            Reply r = c.call("SCAN", cursor, "MATCH", StreamApplier.CHECKPOINT_KEY + "{*", "COUNT", "1000");
            List<Reply> page = r.asList();
            cursor = page.get(0).asString();
            for (Reply k : page.get(1).asList()) {
                keys.add(k.asBytes());
            }
        } while (!cursor.equals("0"));
        return keys;
    }
}
