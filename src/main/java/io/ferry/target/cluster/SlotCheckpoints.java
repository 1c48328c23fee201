package io.ferry.target.cluster;

import io.ferry.convert.Args;
import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import io.ferry.route.SlotTags;
import io.ferry.route.Slots;
import io.ferry.target.StreamApplier;
import java.util.ArrayList;
import java.util.List;

/**
 * Ferry's keys on a cluster: one checkpoint key per slot (and source partition),
 * {@code __ferry_checkpoint:[partition:]{tag}}, in the slot it speaks for, so it moves with the
 * slot's data in a reshard; and a probe key per slot that never exists (touching it tells whether
 * the slot is served here and stable).
 */
final class SlotCheckpoints {
    private static final byte[][] PROBES = new byte[Slots.COUNT][];
    private final String partition;
    private final String prefix;
    private final byte[][] keys = new byte[Slots.COUNT][];

    SlotCheckpoints(String partition) {
        this.partition = partition;
        this.prefix = prefix(partition);
    }

    private static String prefix(String partition) {
        return StreamApplier.CHECKPOINT_KEY + (partition.isEmpty() ? "" : partition + ":");
    }

    byte[] key(int slot) {
        byte[] k = keys[slot];
        if (k == null) {
            k = Args.b(prefix + "{" + SlotTags.tag(slot) + "}");
            keys[slot] = k;
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

    /** The checkpoint keys of source partition {@code partition} held by the node behind {@code c}. */
    static List<byte[]> keysOn(RedisConnection c, String partition) {
        List<byte[]> keys = new ArrayList<>();
        String cursor = "0";
        do {
            Reply r = c.call("SCAN", cursor, "MATCH", prefix(partition) + "{*", "COUNT", "1000");
            List<Reply> page = r.asList();
            cursor = page.get(0).asString();
            for (Reply k : page.get(1).asList()) {
                keys.add(k.asBytes());
            }
        } while (!cursor.equals("0"));
        return keys;
    }

    List<byte[]> keysOn(RedisConnection c) {
        return keysOn(c, partition);
    }
}
