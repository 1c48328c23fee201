package io.ferry.route;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which master serves each slot, read with {@code CLUSTER SLOTS} (every version from 3.0 to
 * Valkey 9 answers it). A node is named {@code host:port}; a node that reports no address is
 * the one that was asked.
 */
public final class SlotMap {
    private final String[] owner = new String[Slots.COUNT];
    private final List<String> masters;

    private SlotMap(List<String> masters) {
        this.masters = masters;
    }

    public static SlotMap read(RedisConnection c) {
        Reply r = c.call("CLUSTER", "SLOTS");
        if (r.isError()) {
            throw new io.ferry.resp.ServerErrorException(((Reply.Error) r).message());
        }
        Set<String> masters = new LinkedHashSet<>();
        List<Object[]> ranges = new ArrayList<>();
        for (Reply range : r.asList()) {
            List<Reply> f = range.asList();
            List<Reply> node = f.get(2).asList();
            String host = node.get(0).asString();
            if (host == null || host.isEmpty() || host.equals("?")) {
                host = c.uri().host();
            }
            String name = host + ":" + node.get(1).asLong();
            masters.add(name);
            ranges.add(new Object[] {(int) f.get(0).asLong(), (int) f.get(1).asLong(), name});
        }
        SlotMap m = new SlotMap(List.copyOf(masters));
        for (Object[] range : ranges) {
            for (int s = (int) range[0]; s <= (int) range[1]; s++) {
                m.owner[s] = (String) range[2];
            }
        }
        return m;
    }

    /** The master serving {@code slot}, or null while no node does. */
    public String ownerOf(int slot) {
        return owner[slot];
    }

    public List<String> masters() {
        return masters;
    }

    /** The first slot whose master differs between this map and {@code other}, or -1 when they agree. */
    public int firstDifference(SlotMap other) {
        for (int s = 0; s < owner.length; s++) {
            if (!java.util.Objects.equals(owner[s], other.owner[s])) {
                return s;
            }
        }
        return -1;
    }

    /** The first slot no master serves, or -1 when every slot is served. */
    public int firstUnserved() {
        for (int s = 0; s < owner.length; s++) {
            if (owner[s] == null) {
                return s;
            }
        }
        return -1;
    }
}
