package io.ferry.source.pika.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blackwidow row decoders, without RocksDB, against every row of snapshot.rows.jsonl: decoded
 * fields and the live verdict at reference_time_unix (PIKA.md §8.3).
 */
class PikaBlackwidowRowsTest {

    @ParameterizedTest
    @ValueSource(strings = {"3.3.6", "3.5.5"})
    void everyRowDecodesAsRecordedWithItsLiveVerdict(String version) throws Exception {
        PikaFixture f = PikaFixture.of(version);
        long nowSec = f.expected().get("reference_time_unix").asLong();
        List<JsonNode> rows = f.jsonLines("snapshot.rows.jsonl");
        // meta rows come first in each DB (default CF first), so data rows can be judged against them
        Map<String, Object> metas = new HashMap<>();
        int live = 0;
        int dead = 0;
        for (JsonNode row : rows) {
            String db = row.get("db").asText();
            String cf = row.get("cf").asText();
            byte[] key = PikaFixture.hex(row.get("key").asText());
            byte[] value = PikaFixture.hex(row.get("value").asText());
            JsonNode d = row.get("decoded");
            String where = db + "/" + cf + " " + row.get("key").asText();
            boolean verdict;
            if (cf.equals("default")) {
                assertThat(PikaFixture.str(key)).as(where).isEqualTo(d.get("user_key").asText());
                if (db.equals("strings")) {
                    BwStringRow s = BwStringRow.decode(key, value);
                    assertThat(PikaFixture.str(s.userValue())).as(where).isEqualTo(d.get("user_value").asText());
                    assertThat((long) s.timestamp()).as(where).isEqualTo(d.get("timestamp").asLong());
                    verdict = s.live(nowSec);
                } else if (db.equals("lists")) {
                    BwListMetaRow m = BwListMetaRow.decode(key, value);
                    assertThat(m.count()).as(where).isEqualTo(d.get("count").asLong());
                    assertThat((long) m.version()).as(where).isEqualTo(d.get("version").asLong());
                    assertThat((long) m.timestamp()).as(where).isEqualTo(d.get("timestamp").asLong());
                    assertThat(Long.toUnsignedString(m.leftIndex())).as(where).isEqualTo(d.get("left_index").asText());
                    assertThat(Long.toUnsignedString(m.rightIndex())).as(where).isEqualTo(d.get("right_index").asText());
                    metas.put(db + ":" + d.get("user_key").asText(), m);
                    verdict = m.live(nowSec);
                } else {
                    BwMetaRow m = BwMetaRow.decode(db, key, value);
                    assertThat((long) m.count()).as(where).isEqualTo(d.get("count").asLong());
                    assertThat((long) m.version()).as(where).isEqualTo(d.get("version").asLong());
                    assertThat((long) m.timestamp()).as(where).isEqualTo(d.get("timestamp").asLong());
                    metas.put(db + ":" + d.get("user_key").asText(), m);
                    verdict = m.live(nowSec);
                }
            } else {
                BwDataKey k = BwDataKey.decode(where, key);
                assertThat(PikaFixture.str(k.userKey())).as(where).isEqualTo(d.get("user_key").asText());
                assertThat((long) k.version()).as(where).isEqualTo(d.get("version").asLong());
                Long index = null;
                switch (db + "/" + cf) {
                    case "hashes/data_cf" -> {
                        assertThat(PikaFixture.str(k.rest())).as(where).isEqualTo(d.get("field").asText());
                        assertThat(PikaFixture.str(value)).as(where).isEqualTo(d.get("value").asText());
                    }
                    case "sets/member_cf" -> {
                        assertThat(PikaFixture.str(k.rest())).as(where).isEqualTo(d.get("member").asText());
                        assertThat(value).isEmpty();
                    }
                    case "zsets/data_cf" -> {
                        assertThat(PikaFixture.str(k.rest())).as(where).isEqualTo(d.get("member").asText());
                        assertThat(Double.doubleToRawLongBits(BwDataKey.score(where, key, value)))
                                .as(where).isEqualTo(Long.parseUnsignedLong(d.get("score_bits").asText(), 16));
                    }
                    case "zsets/score_cf" -> {
                        assertThat(PikaFixture.str(k.scoreMember())).as(where).isEqualTo(d.get("member").asText());
                        assertThat(k.scoreBits(key)).as(where).isEqualTo(Long.parseUnsignedLong(d.get("score_bits").asText(), 16));
                    }
                    case "lists/data_cf" -> {
                        index = k.listIndex(key);
                        assertThat(Long.toUnsignedString(index)).as(where).isEqualTo(d.get("index").asText());
                        assertThat(PikaFixture.str(value)).as(where).isEqualTo(d.get("element").asText());
                    }
                    default -> throw new AssertionError("unexpected column family " + where);
                }
                verdict = belongs(metas.get(db + ":" + d.get("user_key").asText()), k.version(), index, nowSec);
            }
            assertThat(verdict).as("live verdict of %s (%s)", where, row.path("why_not_live").asText()).isEqualTo(row.get("live").asBoolean());
            if (verdict) {
                live++;
            } else {
                dead++;
            }
        }
        assertThat(live).isPositive();
        assertThat(dead).isPositive();
    }

    /** §8.3 rule 3 and 5: a data row is live iff its meta is live, versions match and (lists) the index is in range. */
    private static boolean belongs(Object meta, int version, Long index, long nowSec) {
        if (meta instanceof BwListMetaRow l) {
            return l.live(nowSec) && l.version() == version && l.inRange(index);
        }
        return meta instanceof BwMetaRow m && m.live(nowSec) && m.version() == version;
    }
}
