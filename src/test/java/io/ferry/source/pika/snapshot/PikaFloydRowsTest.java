package io.ferry.source.pika.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The floyd meta decoders, without RocksDB, on every Put row of 4.0.1's default CFs
 * (snapshot.rows.raw.jsonl): a row decodes as live iff expected.json lists its name under its
 * type; the others are expected.json's absent names or the two corrupted NUL-byte names.
 */
class PikaFloydRowsTest {
    @Test
    void everyMetaRowOfTheDefaultColumnFamilies() throws Exception {
        PikaFixture f = PikaFixture.of("4.0.1");
        JsonNode expected = f.expected();
        long now = f.referenceMs();
        int live = 0;
        int dead = 0;
        int malformed = 0;
        Set<String> absent = new HashSet<>();
        expected.get("absent").forEach(s -> s.fieldNames().forEachRemaining(absent::add));
        for (JsonNode row : f.jsonLines("snapshot.rows.raw.jsonl")) {
            if (!row.get("cf").asText().equals("default") || row.get("value_type").asInt() != 1) {
                continue;
            }
            byte[] key = PikaFixture.hex(row.get("key").asText());
            byte[] value = PikaFixture.hex(row.get("value").asText());
            FloydKey k = FloydKey.decodeMeta(key);
            if (k == null) {
                malformed++;
                continue;
            }
            String name = PikaFixture.str(k.userKey());
            boolean isLive;
            String section;
            switch (value[0]) {
                case FloydMeta.TYPE_STRING -> {
                    FloydStringValue s = FloydStringValue.decode(key, value);
                    isLive = s.live(now);
                    section = "strings";
                    if (isLive) {
                        assertThat(PikaFixture.str(s.userValue())).as(name).isEqualTo(expected.get("types").get(section).get(name).get("value").asText());
                    }
                    if (s.hll()) {
                        assertThat(s.ctimeMs()).as("HLL ctime in ms without the flag").isBetween(now - 3_600_000, now);
                    }
                }
                case FloydMeta.TYPE_STREAM -> {
                    FloydStreamMeta m = FloydStreamMeta.decode(key, value);
                    isLive = m.live();
                    section = "streams";
                    if (isLive) {
                        assertThat((long) m.length()).as(name).isEqualTo(expected.get("types").get(section).get(name).get("xlen").asLong());
                    }
                }
                default -> {
                    FloydMeta m = FloydMeta.decode(key, value);
                    isLive = m.live(now);
                    section = switch (m.type()) {
                        case FloydMeta.TYPE_HASH -> "hashes";
                        case FloydMeta.TYPE_SET -> "sets";
                        case FloydMeta.TYPE_LIST -> "lists";
                        default -> "zsets";
                    };
                    if (isLive && m.type() != FloydMeta.TYPE_LIST) {
                        assertThat(m.count()).as(name).isEqualTo(expected.get("types").get(section).get(name).get("value").size());
                    }
                    if (m.ctimeMs() != 0) {
                        assertThat(m.ctimeMs()).as(name + " ctime").isBetween(now - 3_600_000, now);
                    }
                }
            }
            if (isLive) {
                live++;
                assertThat(expected.get("types").get(section).has(name)).as("%s %s live", section, name).isTrue();
            } else {
                dead++;
                assertThat(absent).as("%s %s not live", section, name).contains(name);
            }
        }
        assertThat(live).isEqualTo(48); // expected.json: 48 live keys
        assertThat(dead).isPositive();
        assertThat(malformed).isEqualTo(2);
    }
}
