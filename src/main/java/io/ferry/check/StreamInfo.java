package io.ferry.check;

import java.util.List;

/** What a stream holds besides its entries: the last generated id and its consumer groups. */
record StreamInfo(String lastId, List<Group> groups) {
    /** A consumer group: name, last-delivered-id and the number of pending entries. */
    record Group(byte[] name, String lastDeliveredId, long pending) {}
}
