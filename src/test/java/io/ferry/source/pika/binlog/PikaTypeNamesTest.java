package io.ferry.source.pika.binlog;

import io.ferry.source.pika.snapshot.PikaType;
import static io.ferry.source.pika.binlog.Tr.REDIS7;
import static io.ferry.source.pika.binlog.Tr.at;
import static io.ferry.source.pika.binlog.Tr.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.source.pika.snapshot.TypeConflictPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same-name policy applied to log items; names and types from 3.5.5 snapshot.expected.json multi_type_names. */
class PikaTypeNamesTest {

    private static TypeNames seeded(TypeConflictPolicy policy) {
        TypeNames names = new TypeNames(policy);
        names.register(Tr.argv("dup:sh")[0], List.of(PikaType.STRING, PikaType.HASH));
        names.register(Tr.argv("dup:hz")[0], List.of(PikaType.HASH, PikaType.ZSET));
        names.register(Tr.argv("dup:sx")[0], List.of(PikaType.STRING, PikaType.STREAM));
        names.register(Tr.argv("dup:all")[0], List.of(PikaType.SET, PikaType.ZSET, PikaType.LIST, PikaType.HASH, PikaType.STRING, PikaType.STREAM));
        return names;
    }

    private static PikaTranslator tr(TypeNames names) {
        return at(PikaGeneration.V3_5, REDIS7, names, 1796161360);
    }

    @Test
    void suffixKeepsTheFirstTypeUnderTheName() {
        TypeNames names = seeded(TypeConflictPolicy.SUFFIX);
        PikaTranslator t = tr(names);
        assertThat(run(t, 1796161359, "SET", "dup:sh", "s")).containsExactly("SET dup:sh s");
        assertThat(run(t, 1796161359, "HSET", "dup:sh", "f", "h")).containsExactly("HSET dup:sh:hash f h");
        assertThat(run(t, 1796161359, "ZADD", "dup:hz", "1", "z")).containsExactly("ZADD dup:hz:zset 1 z");
        assertThat(run(t, 1796161359, "hset", "dup:hz", "f", "v")).containsExactly("HSET dup:hz f v");
        assertThat(run(t, 1796161359, "XADD", "dup:sx", "1-1", "f", "v")).containsExactly("XADD dup:sx:stream 1-1 f v");
        assertThat(run(t, 1796161359, "SET", "other", "s")).containsExactly("SET other s");
        assertThat(names.targetName(Tr.argv("dup:all")[0], PikaType.SET).map(Argv::s)).contains("dup:all:set");
        assertThat(t.stats().typeConflicts.sum()).isEqualTo(5);
        assertThat(t.stats().conflictNames()).containsExactly("dup:sh", "dup:hz", "dup:sx");
    }

    @Test
    void delExpandsToEveryTypeAndFreesTheName() {
        TypeNames names = seeded(TypeConflictPolicy.SUFFIX);
        PikaTranslator t = tr(names);
        // 3.5.5 #270-#272 shape: DEL per name, missing names included
        assertThat(run(t, 1796161363, "DEL", "dup:sx")).containsExactly("DEL dup:sx dup:sx:stream");
        assertThat(run(t, 1796161363, "DEL", "dup:sh", "tr:nothing")).containsExactly("DEL dup:sh dup:sh:hash tr:nothing");
        assertThat(names.isRegistered(Tr.argv("dup:sh")[0])).isFalse();
        // After the DEL the master holds nothing there: a new hash is an ordinary single-type name.
        assertThat(run(t, 1796161364, "HSET", "dup:sh", "f", "v")).containsExactly("HSET dup:sh f v");
    }

    @Test
    void expireAndPersistExpandWithoutStreams() {
        PikaTranslator t = tr(seeded(TypeConflictPolicy.SUFFIX));
        // 3.5.5 #266/#267 shape: expireat / PERSIST on a string+…+stream name (streams untouched, 3.5.5 #16)
        assertThat(run(t, 1796161362, "expireat", "dup:sx", "1796161762")).containsExactly("EXPIREAT dup:sx 1796161762");
        assertThat(run(t, 1796161362, "PERSIST", "dup:all")).containsExactly("PERSIST dup:all", "PERSIST dup:all:hash",
                "PERSIST dup:all:list", "PERSIST dup:all:zset", "PERSIST dup:all:set");
        assertThat(run(t, 1796161362, "EXPIREAT", "dup:hz", "4102444800")).containsExactly("DEL dup:hz", "DEL dup:hz:zset");
    }

    @Test
    void firstDropsTheOtherTypes() {
        PikaTranslator t = tr(seeded(TypeConflictPolicy.FIRST));
        assertThat(run(t, 1796161359, "HSET", "dup:sh", "f", "h")).isEmpty();
        assertThat(run(t, 1796161359, "APPEND", "dup:sh", "x")).containsExactly("APPEND dup:sh x");
        assertThat(run(t, 1796161362, "PERSIST", "dup:all")).containsExactly("PERSIST dup:all");
        assertThat(run(t, 1796161362, "DEL", "dup:all")).containsExactly("DEL dup:all");
        assertThat(t.stats().dropped.sum()).isOne();
    }

    @Test
    void skipLeavesTheNameOut() {
        PikaTranslator t = tr(seeded(TypeConflictPolicy.SKIP));
        assertThat(run(t, 1796161359, "SET", "dup:sh", "s")).isEmpty();
        assertThat(run(t, 1796161359, "RPOPLPUSH", "dup:all", "tr:l2")).isEmpty();
        assertThat(run(t, 1796161359, "DEL", "dup:sh")).isEmpty();
        assertThat(t.stats().typeConflicts.sum()).isEqualTo(3);
        assertThat(t.stats().dropped.sum()).isEqualTo(3);
    }

    @Test
    void aNewTypeOfARegisteredNameIsAddedAsNonPrimary() {
        TypeNames names = seeded(TypeConflictPolicy.SUFFIX);
        PikaTranslator t = tr(names);
        // dup:hz (hash+zset) gets a string, which TYPE would now report first: the name stays with the hash.
        assertThat(run(t, 1796161359, "SET", "dup:hz", "s")).containsExactly("SET dup:hz:string s");
        assertThat(run(t, 1796161359, "DEL", "dup:hz")).containsExactly("DEL dup:hz:string dup:hz dup:hz:zset");
    }

    @Test
    void multiKeyCommandsMapEachKey() {
        PikaTranslator t = tr(seeded(TypeConflictPolicy.SUFFIX));
        assertThat(run(t, 1, "MSET", "a", "1", "dup:hz", "2")).containsExactly("MSET a 1 dup:hz:string 2");
        assertThat(run(t, 1, "SUNIONSTORE", "x", "dup:all", "y")).containsExactly("SUNIONSTORE x dup:all:set y");
        assertThat(run(t, 1, "ZUNIONSTORE", "x", "2", "dup:hz", "dup:all", "WEIGHTS", "1", "2"))
                .containsExactly("ZUNIONSTORE x 2 dup:hz:zset dup:all:zset WEIGHTS 1 2");
    }

    @Test
    void flushdbForgetsEverythingAnd40IgnoresTheRegistry() {
        TypeNames names = seeded(TypeConflictPolicy.SUFFIX);
        PikaTranslator t = tr(names);
        assertThat(run(t, 1, "flushdb")).containsExactly("FLUSHDB");
        assertThat(names.size()).isZero();
        PikaTranslator v4 = at(PikaGeneration.V4_0, REDIS7, seeded(TypeConflictPolicy.SUFFIX), 1);
        assertThat(run(v4, 1, "HSET", "dup:sh", "f", "h")).containsExactly("HSET dup:sh f h");
    }

    @Test
    void theRegistrySurvivesARestartAndIsWrittenOnlyWhenItChanged(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("type-names");
        TypeNames names = new TypeNames(TypeConflictPolicy.SUFFIX);
        names.register("k\u0000\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), List.of(PikaType.HASH, PikaType.STRING));
        names.save(file);
        TypeNames again = new TypeNames(TypeConflictPolicy.SUFFIX);
        again.load(file);
        byte[] k = "k\u0000\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(again.types(k)).containsExactlyInAnyOrder(PikaType.STRING, PikaType.HASH);
        assertThat(again.targetName(k, PikaType.STRING)).hasValueSatisfying(n -> assertThat(n).isEqualTo(k));
        assertThat(again.targetName(k, PikaType.HASH)).hasValueSatisfying(n -> assertThat(new String(n, java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("k\u0000\u00ff:hash"));

        java.nio.file.Files.writeString(file, "left alone\n");
        names.save(file); // nothing changed since the last save
        assertThat(java.nio.file.Files.readString(file)).isEqualTo("left alone\n");
        names.clear();
        names.save(file);
        assertThat(java.nio.file.Files.readString(file)).isEmpty();
    }
}
