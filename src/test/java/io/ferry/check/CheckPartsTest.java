package io.ferry.check;

import io.ferry.resp.Keyspace;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The check's small parts, without servers. */
class CheckPartsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keyHashSetHoldsWhatWasAddedAndStopsGrowingWhenBounded() {
        KeyHashSet set = new KeyHashSet();
        Random r = new Random(1);
        long[] added = new long[200_000];
        for (int i = 0; i < added.length; i++) {
            added[i] = r.nextLong();
            assertThat(set.add(added[i])).isTrue();
        }
        for (long h : added) {
            assertThat(set.contains(h)).isTrue();
        }
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            falsePositives += set.contains(r.nextLong()) ? 1 : 0;
        }
        assertThat(falsePositives).isZero();
        assertThat(set.contains(0)).isFalse();
        set.add(0);
        assertThat(set.contains(0)).isTrue();

        KeyHashSet bounded = new KeyHashSet(100_000);
        int taken = 0;
        for (int i = 0; i < 1_000_000; i++) {
            taken += bounded.add(r.nextLong()) ? 1 : 0;
        }
        assertThat(bounded.full()).isTrue();
        assertThat(taken).isBetween(100_000, 200_000);
        assertThat(bounded.size()).isEqualTo(taken);
    }

    @Test
    void keyHashDependsOnDbAndEveryByte() {
        assertThat(KeyHash.of(0, b("key:1"))).isNotEqualTo(KeyHash.of(1, b("key:1")));
        assertThat(KeyHash.of(0, b("key:1"))).isNotEqualTo(KeyHash.of(0, b("key:2")));
        assertThat(KeyHash.of(0, b("abcdefgh1"))).isNotEqualTo(KeyHash.of(0, b("abcdefgh")));
        assertThat(KeyHash.of(0, new byte[0])).isNotEqualTo(KeyHash.of(0, new byte[1]));
    }

    @Test
    void samplerPicksAboutTheRateAndTheSameKeysEveryTime() {
        Sampler s = new Sampler(0.1, 0);
        int picked = 0;
        for (int i = 0; i < 100_000; i++) {
            boolean p = s.picks(0, b("k:" + i));
            assertThat(new Sampler(0.1, 0).picks(0, b("k:" + i))).isEqualTo(p);
            picked += p ? 1 : 0;
        }
        assertThat(picked).isBetween(9_000, 11_000);
        Sampler.Quota q = new Sampler(1.0, 3).quota();
        assertThat(List.of(q.take(), q.take(), q.take(), q.take())).containsExactly(true, true, true, false);
    }

    @Test
    void valuesReportWhereTheyFirstDiffer() {
        Mismatch m = Values.strings(b("hello world"), b("hello there"), 1000);
        assertThat(m.source().get("offset")).isEqualTo(1006L);
        assertThat(new String((byte[]) m.target().get("value"), StandardCharsets.UTF_8)).isEqualTo("there");
        assertThat(Values.strings(b("same"), b("same"), 0)).isNull();

        Mismatch l = Values.lists(List.of(b("a"), b("b")), List.of(b("a")), 10);
        assertThat(l.source().get("index")).isEqualTo(11L);
        assertThat(l.target().get("value")).isNull();

        Mismatch h = Values.hashes(Map.of(new Bytes(b("f")), new Bytes(b("1"))), Map.of(new Bytes(b("f")), new Bytes(b("1")),
                new Bytes(b("g")), new Bytes(b("2"))));
        assertThat(new String((byte[]) h.target().get("field"), StandardCharsets.UTF_8)).isEqualTo("g");
        assertThat(h.source().get("value")).isNull();

        assertThat(Values.sets(Set.of(new Bytes(b("x"))), Set.of(new Bytes(b("x"))))).isNull();
        Mismatch z = Values.zsets(Map.of(new Bytes(b("m")), 1.0), Map.of(new Bytes(b("m")), 1.5));
        assertThat(z.source().get("score")).isEqualTo(1.0);
        assertThat(z.target().get("score")).isEqualTo(1.5);
        assertThat(Values.zsets(Map.of(new Bytes(b("m")), Double.NEGATIVE_INFINITY),
                Map.of(new Bytes(b("m")), Scores.parse("-inf")))).isNull();

        StreamEntry e1 = new StreamEntry("1-1", List.of(b("f"), b("v")));
        StreamEntry e2 = new StreamEntry("1-2", List.of(b("f"), b("v")));
        StreamEntry e2x = new StreamEntry("1-2", List.of(b("f"), b("x")));
        assertThat(Values.streams(List.of(e1, e2), List.of(e1, e2))).isNull();
        assertThat(Values.streams(List.of(e1, e2), List.of(e1, e2x)).source().get("entry")).isEqualTo("1-2");
        assertThat(Values.streams(List.of(e2), List.of(e1, e2)).target().get("entry")).isEqualTo("1-1");

        StreamInfo a = new StreamInfo("1-2", List.of(new StreamInfo.Group(b("g"), "1-1", 1)));
        StreamInfo c = new StreamInfo("1-2", List.of(new StreamInfo.Group(b("g"), "1-1", 2)));
        assertThat(Values.streamInfo(a, a)).isNull();
        assertThat(Values.streamInfo(a, c).target().get("pending")).isEqualTo(2L);
        assertThat(Values.streamInfo(a, new StreamInfo("1-3", a.groups())).source().get("stream")).isEqualTo("last-generated-id");
    }

    @Test
    void streamIdsAndScoresAndKeyspace() {
        assertThat(Chunk.nextId("5-7")).isEqualTo("5-8");
        assertThat(Chunk.nextId("5-18446744073709551615")).isEqualTo("6-0");
        assertThat(Scores.parse("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Scores.parse("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Scores.parse("1.5")).isEqualTo(1.5);
        assertThat(Keyspace.parse("# Keyspace\r\ndb0:keys=10,expires=1,avg_ttl=0\r\ndb12:keys=3,expires=0,avg_ttl=0\r\n"))
                .containsExactly(Map.entry(0, 10L), Map.entry(12, 3L));
        assertThat(CheckSession.atLeast("6.2.0", 6, 2)).isTrue();
        assertThat(CheckSession.atLeast("7.0.15", 6, 2)).isTrue();
        assertThat(CheckSession.atLeast("6.0.16", 6, 2)).isFalse();
        assertThat(CheckSession.atLeast("5.0.7", 6, 2)).isFalse();
    }

    @Test
    void rateLimiterSpacesPermitsOut() {
        RateLimiter r = new RateLimiter(1000);
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            r.acquire(20); // 200 permits: at least ~180 ms after the first batch
        }
        double ms = (System.nanoTime() - start) / 1e6;
        assertThat(ms).isBetween(170.0, 2000.0);
    }

    @Test
    void checkpointKeysAreRecognized() {
        assertThat(KeyScanner.isCheckpoint(b("__ferry_checkpoint:3"))).isTrue();
        assertThat(KeyScanner.isCheckpoint(b("__ferry_check"))).isFalse();
        assertThat(KeyScanner.isCheckpoint(b("user:1"))).isFalse();
    }
}
