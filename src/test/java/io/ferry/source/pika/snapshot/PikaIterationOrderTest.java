package io.ferry.source.pika.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.RocksIterator;

/** RocksJava with Pika's comparators iterates every column family in the order the fixtures recorded. */
class PikaIterationOrderTest {

    private static List<String> scan(RocksStore store, String cf) throws Exception {
        List<String> out = new ArrayList<>();
        try (RocksIterator it = store.iterator(cf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(PikaFixture.hex(it.key()) + "=" + PikaFixture.hex(it.value()));
            }
            store.check(it, cf);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.3.6", "3.5.5"})
    void blackwidowEveryColumnFamilyInRecordedOrder(String version) throws Exception {
        PikaFixture f = PikaFixture.of(version);
        Map<String, List<String>> recorded = new LinkedHashMap<>();
        for (JsonNode row : f.jsonLines("snapshot.rows.jsonl")) {
            recorded.computeIfAbsent(row.get("db").asText() + "/" + row.get("cf").asText(), x -> new ArrayList<>())
                    .add(row.get("key").asText() + "=" + row.get("value").asText());
        }
        assertThat(recorded).containsKeys("lists/data_cf", "zsets/score_cf");
        Map<String, PikaType> types = Map.of("strings", PikaType.STRING, "hashes", PikaType.HASH, "lists", PikaType.LIST,
                "sets", PikaType.SET, "zsets", PikaType.ZSET);
        Map<String, List<String>> scanned = new LinkedHashMap<>();
        for (String db : List.of("strings", "hashes", "lists", "sets", "zsets")) {
            PikaType t = types.get(db);
            try (RocksStore store = RocksStore.open(f.dbDir().resolve(db), cf -> BlackwidowReader.comparatorOf(t, cf))) {
                for (String cf : store.columnFamilies()) {
                    scanned.put(db + "/" + cf, scan(store, cf));
                }
            }
        }
        assertThat(scanned.keySet()).containsExactlyElementsOf(recorded.keySet());
        for (String cf : recorded.keySet()) {
            assertThat(scanned.get(cf)).as(cf).containsExactlyElementsOf(recorded.get(cf));
        }
    }

    /**
     * 4.0.1's rows file has the bytewise CFs only, per SST file: the iterator must yield exactly the
     * keys whose newest entry is a Put, bytewise sorted. The two custom-comparator CFs must open and
     * iterate in their comparator's order.
     */
    @Test
    void floydColumnFamilies() throws Exception {
        PikaFixture f = PikaFixture.of("4.0.1");
        Map<String, TreeMap<Long, JsonNode>> newest = new HashMap<>(); // instance/cf/key → seq → row
        for (JsonNode row : f.jsonLines("snapshot.rows.raw.jsonl")) {
            newest.computeIfAbsent(row.get("instance").asText() + "/" + row.get("cf").asText() + "/" + row.get("key").asText(),
                    x -> new TreeMap<>()).put(row.get("seq").asLong(), row);
        }
        Map<String, TreeMap<String, String>> expected = new TreeMap<>();
        newest.forEach((id, bySeq) -> {
            JsonNode row = bySeq.lastEntry().getValue();
            String icf = row.get("instance").asText() + "/" + row.get("cf").asText();
            TreeMap<String, String> m = expected.computeIfAbsent(icf, x -> new TreeMap<>()); // hex order = bytewise
            if (row.get("value_type").asInt() == 1) {
                m.put(row.get("key").asText(), row.get("value").asText());
            }
        });
        int customRows = 0;
        for (String instance : List.of("0", "1", "2")) {
            Path dir = f.dbDir().resolve(instance);
            try (RocksStore store = RocksStore.open(dir, FloydReader::comparatorOf)) {
                assertThat(store.columnFamilies()).containsExactly("default", "hash_data_cf", "set_data_cf", "list_data_cf",
                        "zset_data_cf", "zset_score_cf", "stream_data_cf");
                for (String cf : store.columnFamilies()) {
                    List<String> got = scan(store, cf);
                    if (cf.equals("list_data_cf") || cf.equals("zset_score_cf")) {
                        customRows += got.size();
                        for (int i = 1; i < got.size(); i++) {
                            byte[] a = PikaFixture.hex(got.get(i - 1).split("=")[0]);
                            byte[] b = PikaFixture.hex(got.get(i).split("=", -1)[0]);
                            int c = cf.equals("list_data_cf")
                                    ? FloydListsDataKeyComparator.compareKeys(PikaComparatorsTest.kb(a), PikaComparatorsTest.kb(b))
                                    : FloydZSetsScoreKeyComparator.compareKeys(PikaComparatorsTest.kb(a), PikaComparatorsTest.kb(b));
                            assertThat(c).as(cf + " row " + i).isNegative();
                        }
                        continue;
                    }
                    List<String> want = new ArrayList<>();
                    expected.getOrDefault(instance + "/" + cf, new TreeMap<>()).forEach((k, v) -> want.add(k + "=" + v));
                    assertThat(got).as(instance + "/" + cf).containsExactlyElementsOf(want);
                }
            }
        }
        assertThat(customRows).as("list and zset score rows").isGreaterThan(2000);
    }
}
