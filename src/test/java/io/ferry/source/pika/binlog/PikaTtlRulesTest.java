package io.ferry.source.pika.binlog;

import static io.ferry.source.pika.binlog.Tr.REDIS5;
import static io.ferry.source.pika.binlog.Tr.REDIS6_0;
import static io.ferry.source.pika.binlog.Tr.REDIS7;
import static io.ferry.source.pika.binlog.Tr.at;
import static io.ferry.source.pika.binlog.Tr.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** pksetexat, expireat/pexpireat and relative SET TTLs; argv and exec times from the recordings (logic id noted). */
class PikaTtlRulesTest {

    @Test
    void pksetexatInTheFutureIsSetExat() {
        // 3.5.5 #164: SET tr:s:ex v EX 100
        PikaTranslator t = at(PikaGeneration.V3_5, REDIS7, TypeNames.none(), 1796161327);
        assertThat(run(t, 1796161327, "pksetexat", "tr:s:ex", "1796161427", "v")).containsExactly("SET tr:s:ex v EXAT 1796161427");
    }

    @Test
    void pksetexatBefore62IsSetPlusExpireat() {
        PikaTranslator t = at(PikaGeneration.V3_LEGACY, new TargetCaps(6, 0), TypeNames.none(), 1795307141);
        assertThat(run(t, 1795307141, "pksetexat", "tr:s:ex", "1795307241", "v"))
                .containsExactly("SET tr:s:ex v", "EXPIREAT tr:s:ex 1795307241");
    }

    @Test
    void pksetexatInMillisecondsFrom401Psetex() {
        // 4.0.1 #145: PSETEX tr:psetex 250000 v → pksetexat in ms (4.0.1 #9)
        PikaTranslator t = at(PikaGeneration.V4_0, REDIS7, TypeNames.none(), 1796160124);
        assertThat(run(t, 1796160124, "pksetexat", "tr:psetex", "1796160375025", "v"))
                .containsExactly("SET tr:psetex v PXAT 1796160375025");
        PikaTranslator old = at(PikaGeneration.V4_0, REDIS5, TypeNames.none(), 1796160124);
        assertThat(run(old, 1796160124, "pksetexat", "tr:psetex", "1796160375025", "v"))
                .containsExactly("SET tr:psetex v", "PEXPIREAT tr:psetex 1796160375025");
    }

    @Test
    void pksetexatZeroKeepsTheTtlOn35() {
        // 3.5.5 #179/#180: SET tr:cnt:ttl 5 EX 1000; INCR → pksetexat 0 6 while the master keeps the TTL (3.5.5 #12)
        PikaTranslator t = at(PikaGeneration.V3_5, REDIS7, TypeNames.none(), 1796161333);
        assertThat(run(t, 1796161333, "pksetexat", "tr:cnt:ttl", "0", "6")).containsExactly("SET tr:cnt:ttl 6 KEEPTTL");
        assertThat(t.stats().ttlLosses.sum()).isZero();
        PikaTranslator v6 = at(PikaGeneration.V4_0, REDIS6_0, TypeNames.none(), 1796160125);
        assertThat(run(v6, 1796160125, "pksetexat", "tr:cnt", "0", "1")).containsExactly("SET tr:cnt 1 KEEPTTL");
    }

    @Test
    void pksetexatZeroWithoutKeepTtlCountsAPossibleLoss() {
        PikaTranslator t = at(PikaGeneration.V3_5, REDIS5, TypeNames.none(), 1796161333);
        assertThat(run(t, 1796161333, "pksetexat", "tr:cnt:ttl", "0", "6")).containsExactly("SET tr:cnt:ttl 6");
        assertThat(t.stats().ttlLosses.sum()).isOne();
    }

    @Test
    void pksetexatInThePastIsDel() {
        // 3.5.5 #277: PSETEX tr:ps2 1000 w — replayed 5 s late
        PikaTranslator t = at(PikaGeneration.V3_5, REDIS7, TypeNames.none(), 1796161371);
        assertThat(run(t, 1796161365, "pksetexat", "tr:ps2", "1796161366", "w")).containsExactly("DEL tr:ps2");
        assertThat(t.stats().expiredDeletes.sum()).isOne();
        // On 3.x a 0 is a wrapped (expired) timestamp, not "no TTL": 3.3.6 never logs INCR as pksetexat.
        PikaTranslator legacy = at(PikaGeneration.V3_LEGACY, REDIS7, TypeNames.none(), 1795307141);
        assertThat(run(legacy, 1795307141, "pksetexat", "k", "0", "v")).containsExactly("DEL k");
        assertThat(run(legacy, 1795307141, "pksetexat", "k", "-2147000000", "v")).containsExactly("DEL k");
    }

    @Test
    void expireatOn3xKeepsLow32BitsSigned() {
        // 3.3.6 #36 / 3.5.5 #205: EXPIREAT tr:ovf 4102444800 → the master deleted the key
        for (PikaGeneration gen : new PikaGeneration[] {PikaGeneration.V3_LEGACY, PikaGeneration.V3_5}) {
            PikaTranslator t = at(gen, REDIS7, TypeNames.none(), 1796161342);
            assertThat(run(t, 1796161342, "EXPIREAT", "tr:ovf", "4102444800")).containsExactly("DEL tr:ovf");
            assertThat(run(t, 1796161342, "EXPIREAT", "tr:e3", "2000000000")).containsExactly("EXPIREAT tr:e3 2000000000");
            assertThat(run(t, 1796161338, "expireat", "tr:e1", "1796161838")).containsExactly("EXPIREAT tr:e1 1796161838");
            // 2^32 + 1000: wraps to a small positive value, in the past
            assertThat(run(t, 1796161342, "expireat", "k", "4294968296")).containsExactly("DEL k");
            assertThat(run(t, 1796161342, "expireat", "k", "1000")).containsExactly("DEL k");
        }
    }

    @Test
    void expireatOn40IsVerbatim() {
        // 4.0.1 #179: no wrap in 4.0 (4.0.1 #17)
        PikaTranslator t = at(PikaGeneration.V4_0, REDIS7, TypeNames.none(), 1796160135);
        assertThat(run(t, 1796160135, "EXPIREAT", "tr:ovf", "4102444800")).containsExactly("EXPIREAT tr:ovf 4102444800");
        assertThat(run(t, 1796160132, "expireat", "tr:e1", "1796160632")).containsExactly("EXPIREAT tr:e1 1796160632");
    }

    @Test
    void pexpireatOn40() {
        PikaTranslator t = at(PikaGeneration.V4_0, REDIS7, TypeNames.none(), 1796160133);
        // 4.0.1 #172: PEXPIRE tr:e2 600000 is logged as lower-case pexpireat and works on the master
        assertThat(run(t, 1796160133, "pexpireat", "tr:e2", "1796160733719")).containsExactly("PEXPIREAT tr:e2 1796160733719");
        // 4.0.1 #176: the client's PEXPIREAT deletes the key on the master (4.0.1 #15)
        assertThat(run(t, 1796160134, "PEXPIREAT", "tr:e4", "2000000000500")).containsExactly("DEL tr:e4");
        assertThat(t.stats().pexpireatBugDeletes.sum()).isOne();
        assertThat(run(t, 1796160134, "pexpireat", "k", "1000")).containsExactly("DEL k");
        assertThat(t.stats().expiredDeletes.sum()).isOne();
    }

    @Test
    void pexpireatOn3xIsSecondsWithTheWrap() {
        PikaTranslator t = at(PikaGeneration.V3_5, REDIS7, TypeNames.none(), 1796161340);
        assertThat(run(t, 1796161340, "PEXPIREAT", "k", "2000000000123")).containsExactly("EXPIREAT k 2000000000");
        assertThat(run(t, 1796161340, "PEXPIREAT", "k", "4102444800000")).containsExactly("DEL k");
    }

    @Test
    void relativeTtlsInConditionalSetsAreAnchoredAtExecTime() {
        PikaTranslator t = at(PikaGeneration.V3_5, REDIS7, TypeNames.none(), 1796161400);
        // 3.5.5 #166, #167, #169 (applied late: the TTL still ends where the master's does)
        assertThat(run(t, 1796161328, "SET", "tr:s:nxex", "v", "NX", "EX", "100")).containsExactly("SET tr:s:nxex v NX EXAT 1796161428");
        assertThat(run(t, 1796161329, "SET", "tr:s:expx", "v", "EX", "100", "NX")).containsExactly("SET tr:s:expx v EXAT 1796161429 NX");
        assertThat(run(t, 1796161329, "SET", "tr:s:xxpx", "v", "XX", "PX", "5000")).containsExactly("SET tr:s:xxpx v XX PXAT 1796161334000");
        assertThat(run(t, 1796161329, "set", "tr:s", "v2", "XX")).containsExactly("SET tr:s v2 XX");
    }

    @Test
    void relativeTtlsStayVerbatimBelow62() {
        PikaTranslator t = at(PikaGeneration.V3_LEGACY, REDIS5, TypeNames.none(), 1795307143);
        assertThat(run(t, 1795307143, "SET", "tr:s:nxex", "v", "NX", "EX", "100")).containsExactly("SET tr:s:nxex v NX EX 100");
    }

    @Test
    void malformedTimestampsAreTypedErrors() {
        PikaTranslator t = at(PikaGeneration.V3_5, REDIS7, TypeNames.none(), 1796161340);
        assertThatThrownBy(() -> t.translate(Tr.argv("pksetexat", "k", "soon", "v"), 1796161340))
                .isInstanceOf(MalformedBinlogItemException.class);
        assertThatThrownBy(() -> t.translate(Tr.argv("expireat", "k"), 1796161340))
                .isInstanceOf(MalformedBinlogItemException.class);
    }
}
