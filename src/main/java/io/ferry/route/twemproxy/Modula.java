package io.ferry.route.twemproxy;

import java.util.List;

/** {@code modula}: the hash modulo the total weight picks a slot; each server holds as many slots, in order, as its weight. */
final class Modula implements Distribution {
    private final int[] slots;

    private Modula(int[] slots) {
        this.slots = slots;
    }

    static Modula of(List<Server> servers) {
        int total = 0;
        for (Server s : servers) {
            total += s.weight();
        }
        int[] slots = new int[total];
        int at = 0;
        for (int i = 0; i < servers.size(); i++) {
            for (int w = 0; w < servers.get(i).weight(); w++) {
                slots[at++] = i;
            }
        }
        return new Modula(slots);
    }

    @Override
    public int server(int hash) {
        return slots[Integer.remainderUnsigned(hash, slots.length)];
    }
}
