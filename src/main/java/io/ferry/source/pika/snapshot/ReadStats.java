package io.ferry.source.pika.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Counters of one {@link PikaSnapshot#read}, turned into its {@link PikaSnapshot.Result}. */
final class ReadStats {
    static final int MAX_LISTED_NAMES = 1000;
    static final byte[] CODIS_SLOT_PREFIX = "_internal:slotkey:4migrate:".getBytes(StandardCharsets.ISO_8859_1);

    long keys;
    long expiredOrDeleted;
    long internalSkipped;
    long conflicts;
    long conflictDropped;
    long malformedSkipped;
    final List<String> conflictNames = new ArrayList<>();
    final Map<PikaType, Long> keysByType = new EnumMap<>(PikaType.class);

    void emitted(PikaType t) {
        keys++;
        keysByType.merge(t, 1L, Long::sum);
    }

    void conflict(byte[] name, int dropped) {
        conflicts++;
        conflictDropped += dropped;
        if (conflictNames.size() < MAX_LISTED_NAMES) {
            conflictNames.add(new String(name, StandardCharsets.ISO_8859_1));
        }
    }

    static boolean internal(byte[] name) {
        return Le.startsWith(name, CODIS_SLOT_PREFIX);
    }

    PikaSnapshot.Result result() {
        return new PikaSnapshot.Result(keys, expiredOrDeleted, internalSkipped, conflicts, List.copyOf(conflictNames),
                java.util.Collections.unmodifiableMap(new EnumMap<>(keysByType)), conflictDropped, malformedSkipped);
    }
}
