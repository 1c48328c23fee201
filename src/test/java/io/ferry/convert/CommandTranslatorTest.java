package io.ferry.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The translation table: each new command into each older target, as the target gets it
 * ("a ; b" is one transaction of two commands, "" a dropped command, "!…" one that cannot be
 * translated exactly), and the counts it leaves.
 */
class CommandTranslatorTest {
    private static final String AS_IS = "(as is)";

    private static TargetFeatures redis(String v) {
        return TargetFeatures.of("redis", v, true, false);
    }

    /** How {@code command} (space-separated) reaches a target of {@code version}. */
    private static String to(String version, String command) {
        return to(version.startsWith("valkey ") ? TargetFeatures.of("valkey", version.substring(7), true, false) : redis(version),
                new TranslationStats(), command);
    }

    private static String to(TargetFeatures target, TranslationStats stats, String command) {
        byte[][] argv = Arrays.stream(command.split(" ")).map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        Translation t = new CommandTranslator(target, stats).translate(argv);
        if (t == null) {
            return AS_IS;
        }
        if (t.inexact() != null) {
            return "!" + t.inexact();
        }
        return t.commands().stream()
                .map(c -> Arrays.stream(c).map(b -> new String(b, StandardCharsets.UTF_8)).collect(Collectors.joining(" ")))
                .collect(Collectors.joining(" ; "));
    }

    @Test
    void hsetexBecomesHsetWithFieldTtlsOn74AndLostBelow() {
        String cmd = "HSETEX h FNX PXAT 1900000000000 FIELDS 2 a 1 b 2";
        assertThat(to("8.0.0", cmd)).isEqualTo(AS_IS);
        assertThat(to("valkey 9.0.0", cmd)).isEqualTo(AS_IS);
        assertThat(to("7.4.0", cmd)).isEqualTo("HSET h a 1 b 2 ; HPEXPIREAT h 1900000000000 FIELDS 2 a b");
        TranslationStats stats = new TranslationStats();
        assertThat(to(redis("7.0.15"), stats, cmd)).isEqualTo("HSET h a 1 b 2");
        assertThat(stats.fieldTtlsLost.sum()).isEqualTo(2);
        assertThat(stats.translated.sum()).isEqualTo(1);
        assertThat(to("2.8.19", cmd)).as("one HMSET: HSET takes one field before 4.0").isEqualTo("HMSET h a 1 b 2");
        assertThat(to("2.8.19", "HSETEX h FIELDS 1 a 1")).isEqualTo("HSET h a 1");
    }

    @Test
    void hsetexKeepTtlKeepsTheFieldTtlsOn74() {
        // HINCRBYFLOAT on a plain hash is replicated this way by Redis since 2025.
        String cmd = "HSETEX h KEEPTTL FIELDS 1 f 1.5";
        assertThat(to("7.0.15", cmd)).isEqualTo("HSET h f 1.5");
        assertThat(to("7.4.0", cmd)).startsWith("EVAL ").contains("HPEXPIRETIME").endsWith(" 1 h f 1.5");
        TranslationStats stats = new TranslationStats();
        to(redis("6.2.11"), stats, cmd);
        assertThat(stats.fieldTtlsLost.sum()).as("no TTL was set: nothing lost").isZero();
    }

    @Test
    void hashFieldTtlCommandsBelow74AreDroppedAndCounted() {
        TranslationStats stats = new TranslationStats();
        assertThat(to(redis("7.0.15"), stats, "HPEXPIREAT h 1900000000000 FIELDS 3 a b c")).isEmpty();
        assertThat(to(redis("7.0.15"), stats, "HPERSIST h FIELDS 1 a")).isEmpty();
        assertThat(stats.fieldTtlsLost.sum()).isEqualTo(4);
        assertThat(stats.dropped.sum()).isEqualTo(2);
        assertThat(stats.describe()).contains("HPEXPIREAT dropped (field TTLs lost) 1").contains("4 field TTLs lost");
        assertThat(to("7.4.0", "HPEXPIREAT h 1900000000000 FIELDS 1 a")).isEqualTo(AS_IS);
    }

    @Test
    void hgetdelBecomesHdelAndHgetexItsTtlChange() {
        assertThat(to("7.0.15", "HGETDEL h FIELDS 2 a b")).isEqualTo("HDEL h a b");
        assertThat(to("valkey 9.0.0", "HGETDEL h FIELDS 1 a")).isEqualTo("HDEL h a");
        assertThat(to("valkey 9.1.0", "HGETDEL h FIELDS 1 a")).isEqualTo(AS_IS);
        assertThat(to("7.4.0", "HGETEX h PXAT 1900000000000 FIELDS 1 a")).isEqualTo("HPEXPIREAT h 1900000000000 FIELDS 1 a");
        assertThat(to("7.4.0", "HGETEX h PERSIST FIELDS 1 a")).isEqualTo("HPERSIST h FIELDS 1 a");
        assertThat(to("6.2.11", "HGETEX h PERSIST FIELDS 1 a")).isEmpty();
    }

    @Test
    void msetexBecomesOneSetPerKeyInOneTransaction() {
        String cmd = "MSETEX 2 a 1 b 2 NX PXAT 1900000000000";
        assertThat(to("8.4.0", cmd)).isEqualTo(AS_IS);
        assertThat(to("7.0.15", cmd)).isEqualTo("SET a 1 PXAT 1900000000000 ; SET b 2 PXAT 1900000000000");
        assertThat(to("valkey 9.0.0", cmd)).as("Valkey has no MSETEX").isEqualTo("SET a 1 PXAT 1900000000000 ; SET b 2 PXAT 1900000000000");
        assertThat(to("2.8.19", cmd)).isEqualTo("SET a 1 ; PEXPIREAT a 1900000000000 ; SET b 2 ; PEXPIREAT b 1900000000000");
        assertThat(to("6.2.11", "MSETEX 1 a 1 KEEPTTL")).isEqualTo("SET a 1 KEEPTTL");
        assertThat(to("2.8.19", "MSETEX 1 a 1 KEEPTTL")).isEqualTo("EVAL " + StringTranslations.SET_KEEPTTL + " 1 a 1");
        assertThat(to("7.0.15", "MSETEX 1 a 1")).isEqualTo("SET a 1");
    }

    @Test
    void setLosesOnlyWhatTheTargetLacks() {
        assertThat(to("7.0.15", "SET k v PXAT 1900000000000")).isEqualTo(AS_IS);
        assertThat(to("7.0.15", "SET k v IFEQ old")).isEqualTo("SET k v");
        assertThat(to("7.0.15", "SET k v IFDNE 1234abcd PXAT 1900000000000")).isEqualTo("SET k v PXAT 1900000000000");
        assertThat(to("valkey 8.1.0", "SET k v IFEQ old")).isEqualTo(AS_IS);
        assertThat(to("valkey 8.1.0", "SET k v IFNE old")).isEqualTo("SET k v");
        assertThat(to("8.4.0", "SET k v IFDEQ 1234abcd")).isEqualTo(AS_IS);
        // What a 7.0 source sends that 2.8 does not take.
        assertThat(to("2.8.19", "SET k v PXAT 1900000000000")).isEqualTo("SET k v ; PEXPIREAT k 1900000000000");
        assertThat(to("2.8.19", "SET k v EXAT 1900000000")).isEqualTo("SET k v ; PEXPIREAT k 1900000000000");
        assertThat(to("2.8.19", "SET k v NX GET")).isEqualTo("SET k v");
        assertThat(to("2.8.19", "SET k v NX PX 100")).isEqualTo(AS_IS);
        assertThat(to("2.8.19", "SET k v keepttl")).isEqualTo("EVAL " + StringTranslations.SET_KEEPTTL + " 1 k v");
        assertThat(to("6.0.0", "SET k v KEEPTTL")).isEqualTo(AS_IS);
        assertThat(to("2.8.19", "SET k v BOGUS")).as("unknown option: the target decides").isEqualTo(AS_IS);
    }

    @Test
    void delexUnlinkAndMultiFieldHset() {
        assertThat(to("7.0.15", "DELEX k")).isEqualTo("DEL k");
        assertThat(to("7.0.15", "DELEX k IFEQ v")).isEqualTo("DEL k");
        assertThat(to("8.4.0", "DELEX k")).isEqualTo(AS_IS);
        assertThat(to("2.8.19", "UNLINK a b")).isEqualTo("DEL a b");
        assertThat(to("6.2.11", "UNLINK a b")).isEqualTo(AS_IS);
        assertThat(to("2.8.19", "HSET h a 1 b 2")).isEqualTo("HMSET h a 1 b 2");
        assertThat(to("2.8.19", "HSET h a 1")).isEqualTo(AS_IS);
    }

    @Test
    void xaddLosesItsIdmpArgumentsAndDuplicatesAreDropped() {
        assertThat(to("8.6.0", "XADD s IDMP p1 i1 * f v")).isEqualTo(AS_IS);
        assertThat(to("7.0.15", "XADD s IDMP p1 i1 1-1 f v")).isEqualTo("XADD s 1-1 f v");
        assertThat(to("7.0.15", "XADD s NOMKSTREAM IDMPAUTO p1 MAXLEN = 10 5-0 f v")).isEqualTo("XADD s NOMKSTREAM MAXLEN = 10 5-0 f v");
        TranslationStats stats = new TranslationStats();
        assertThat(to(redis("7.0.15"), stats, "XADD s IDMP p1 i1 * f v")).as("a duplicate: nothing was added").isEmpty();
        assertThat(stats.byRule()).containsEntry("XADD IDMP duplicate dropped", 1L);
        assertThat(to("7.0.15", "XADD s 1-1 IDMP v")).as("fields after the id stay").isEqualTo(AS_IS);
        assertThat(to("7.0.15", "XADD s KEEPREF MAXLEN 5 1-1 f v")).isEqualTo("XADD s MAXLEN 5 1-1 f v");
        assertThat(to("7.0.15", "XADD s ACKED MAXLEN 5 1-1 f v")).startsWith("!XADD ACKED");
        assertThat(to("7.0.15", "XADD s DELREF 1-1 f v")).as("no trim: the policy has no effect").isEqualTo("XADD s 1-1 f v");
        assertThat(to("8.2.0", "XADD s DELREF MAXLEN 5 1-1 f v")).isEqualTo(AS_IS);
    }

    @Test
    void streamDeletionsBecomeXdelAndXackWhereExact() {
        assertThat(to("7.0.15", "XDELEX s IDS 2 1-1 2-1")).isEqualTo("XDEL s 1-1 2-1");
        assertThat(to("7.0.15", "XDELEX s KEEPREF IDS 1 1-1")).isEqualTo("XDEL s 1-1");
        assertThat(to("7.0.15", "XDELEX s DELREF IDS 1 1-1")).startsWith("!XDELEX DELREF");
        assertThat(to("7.0.15", "XACKDEL s g KEEPREF IDS 2 1-1 2-1")).isEqualTo("XACK s g 1-1 2-1 ; XDEL s 1-1 2-1");
        assertThat(to("7.0.15", "XACKDEL s g ACKED IDS 1 1-1")).startsWith("!XACKDEL ACKED");
        assertThat(to("7.0.15", "XTRIM s MAXLEN 5 KEEPREF")).isEqualTo("XTRIM s MAXLEN 5");
        assertThat(to("7.0.15", "XTRIM s MINID 5-0 DELREF")).startsWith("!XTRIM DELREF");
        assertThat(to("8.2.0", "XACKDEL s g DELREF IDS 1 1-1")).isEqualTo(AS_IS);
    }

    @Test
    void stateTheTargetCannotHoldIsDroppedAndCounted() {
        TranslationStats stats = new TranslationStats();
        TargetFeatures t = redis("7.0.15");
        assertThat(to(t, stats, "XCFGSET s IDMP-DURATION 100")).isEmpty();
        assertThat(to(t, stats, "XIDMPRECORD s p1 i1 1-1")).isEmpty();
        assertThat(to(t, stats, "XNACK s g 1-1")).isEmpty();
        assertThat(stats.dropped.sum()).isEqualTo(3);
        assertThat(stats.byRule()).containsEntry("XNACK dropped (NACK state lost)", 1L).containsEntry("XCFGSET dropped (IDMP state lost)", 1L);
        assertThat(to("8.8.0", "XNACK s g 1-1")).isEqualTo(AS_IS);
    }

    @Test
    void clusterInternalCommandsAreNeverForwarded() {
        assertThat(to("8.4.0", "CLUSTER SYNCSLOTS ACK 123")).isEmpty();
        assertThat(to("8.8.0", "TRIMSLOTS RANGES 1 0 100")).isEmpty();
        assertThat(to("8.4.0", "CLUSTER SETSLOT 1 NODE x")).isEqualTo(AS_IS);
    }

    @Test
    void commonCommandsPassUntouched() {
        for (String v : new String[] {"2.8.19", "6.2.11", "7.0.15", "8.8.0"}) {
            for (String c : new String[] {"SET k v", "SET k v PX 100", "INCR k", "HSET h f v", "DEL a b", "XADD s 1-1 f v", "EXEC"}) {
                assertThat(to(v, c)).as("%s into %s", c, v).isEqualTo(AS_IS);
            }
        }
    }
}
