package io.ferry.source.pika.binlog;

import static io.ferry.source.pika.binlog.Tr.REDIS7;
import static io.ferry.source.pika.binlog.Tr.at;
import static io.ferry.source.pika.binlog.Tr.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.testing.Fixtures;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PikaTranslatorTest {

    @Test
    void generations() {
        assertThat(PikaGeneration.of("3.3.6")).isEqualTo(PikaGeneration.V3_LEGACY);
        assertThat(PikaGeneration.of("3.1.0")).isEqualTo(PikaGeneration.V3_LEGACY);
        assertThat(PikaGeneration.of("3.5.5")).isEqualTo(PikaGeneration.V3_5);
        assertThat(PikaGeneration.of("4.0.0")).isEqualTo(PikaGeneration.V4_0); // what tag v4.0.1 reports
        assertThat(PikaGeneration.of("4.0.1")).isEqualTo(PikaGeneration.V4_0);
        assertThat(PikaGeneration.V3_5.multiTypeNames()).isTrue();
        assertThat(PikaGeneration.V4_0.multiTypeNames()).isFalse();
        assertThatThrownBy(() -> PikaGeneration.of("2.3.6")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TargetCaps(6, 2).exat()).isTrue();
        assertThat(new TargetCaps(6, 0).exat()).isFalse();
        assertThat(new TargetCaps(6, 0).keepTtl()).isTrue();
        assertThat(TargetCaps.of("5.0.14").keepTtl()).isFalse();
    }

    @Test
    void spopOn3xIsARefetchAndLaterItIsTheLoggedSrem() {
        // 3.3.6 #62: SPOP tr:set (popped "b"); 3.5.5 #279 srem tr:sp b d
        PikaTranslator legacy = at(PikaGeneration.V3_LEGACY, REDIS7, TypeNames.none(), 1795307186);
        assertThat(run(legacy, 1795307186, "SPOP", "tr:set")).containsExactly("REFETCH tr:set set");
        assertThat(run(legacy, 1795307186, "spop", "tr:set", "2")).containsExactly("REFETCH tr:set set");
        assertThat(legacy.stats().refetches.sum()).isEqualTo(2);
        PikaTranslator v35 = at(PikaGeneration.V3_5, REDIS7, TypeNames.none(), 1796161366);
        assertThat(run(v35, 1796161366, "srem", "tr:sp", "b", "d")).containsExactly("SREM tr:sp b d");
    }

    @Test
    void flushesPaddingAndCase() {
        PikaTranslator t = at(PikaGeneration.V3_LEGACY, REDIS7, TypeNames.none(), 1795307199);
        assertThat(run(t, 1795307199, "FLUSHDB")).containsExactly("FLUSHDB");
        assertThat(run(t, 1795307200, "flushdb")).containsExactly("FLUSHDB"); // 3.3.6 #81: the client's FLUSHALL
        assertThat(run(t, 1, "padding", "*****")).isEmpty();
        assertThat(run(t, 1795307146, "setnx", "tr:setnx", "second")).containsExactly("SETNX tr:setnx second");
        assertThat(run(t, 1796161350, "lpop", "tr:bl")).containsExactly("LPOP tr:bl");
        assertThat(t.stats().dropped.sum()).isOne();
        assertThat(t.stats().translated.sum()).isEqualTo(4);
        assertThat(t.stats().describe()).contains("4 translated").contains("1 dropped");
    }

    @Test
    void everythingElseIsVerbatim() {
        PikaTranslator t = at(PikaGeneration.V3_LEGACY, REDIS7, TypeNames.none(), 1795307164);
        assertThat(run(t, 1795307164, "DEL", "tr:m1", "tr:m2", "tr:nonexistent")).containsExactly("DEL tr:m1 tr:m2 tr:nonexistent");
        assertThat(run(t, 1795307150, "APPEND", "tr:app", "abc")).containsExactly("APPEND tr:app abc");
        assertThat(run(t, 1795307191, "ZREMRANGEBYSCORE", "tr:z", "100", "+inf")).containsExactly("ZREMRANGEBYSCORE tr:z 100 +inf");
        assertThat(run(t, 1795307194, "PFADD", "tr:hll", "a", "b", "c")).containsExactly("PFADD tr:hll a b c");
        assertThat(run(t, 1795307154, "SET", "tr:bin", "\u0000\u0001\u00ff\r\n")).containsExactly("SET tr:bin \u0000\u0001\u00ff\r\n");
    }

    @Test
    void pfmergeLoggedAsSetOfAPikaHllIsCountedAndPassed() throws Exception {
        // 3.5.5 #253: PFMERGE tr:hllm … → set tr:hllm <131072 bytes>
        Path dir = Fixtures.requirePikaDir("3.5.5");
        byte[][] argv = null;
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = Files.newBufferedReader(dir.resolve("replication.transcript.jsonl"))) {
            for (String line = r.readLine(); line != null && argv == null; line = r.readLine()) {
                for (JsonNode item : json.readTree(line).path("decoded").path("binlog_items")) {
                    if (item.path("header").path("logic_id").asLong() == 253) {
                        argv = new byte[item.get("argv").size()][];
                        for (int i = 0; i < argv.length; i++) {
                            argv[i] = item.get("argv").get(i).asText().getBytes(StandardCharsets.ISO_8859_1);
                        }
                    }
                }
            }
        }
        assertThat(argv).isNotNull();
        PikaTranslator t = at(PikaGeneration.V3_5, REDIS7, TypeNames.none(), 1796161357);
        var out = t.translate(argv, 1796161357);
        assertThat(((Action.Command) out.get(0)).argv()[2]).hasSize(131_072).isEqualTo(argv[2]);
        assertThat(Argv.s(((Action.Command) out.get(0)).argv()[0])).isEqualTo("SET");
        assertThat(t.stats().hllStringsCopied.sum()).isOne();
        run(t, 1, "SET", "k", "x".repeat(131_072));
        assertThat(t.stats().hllStringsCopied.sum()).isOne();
    }
}
