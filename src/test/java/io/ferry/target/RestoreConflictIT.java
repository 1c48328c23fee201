package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.Rdbs;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conflict policies of {@code ferry restore}, end to end through the CLI, on both write
 * paths: RESTORE payloads (the default against a 7.0 target for a 7.0 RDB) and typed commands
 * ({@code --typed}). The target already holds the key {@code conflict} as a string; the RDB
 * holds it as a hash, next to keys of every other type that do not conflict.
 */
@Timeout(120)
class RestoreConflictIT {
    static final String LIB_SOURCE = "#!lua name=ferrylib\nredis.register_function('fsource', function() return 'from-source' end)";
    static final String LIB_TARGET = "#!lua name=ferrylib\nredis.register_function('ftarget', function() return 'from-target' end)";

    @TempDir
    static Path dir;
    static RedisServerProcess source;
    static RedisServerProcess target;
    static Path keysRdb;
    static Path functionRdb;
    static Dataset sourceKeys;

    @BeforeAll
    static void makeRdbs() throws Exception {
        source = RedisServerProcess.start();
        target = RedisServerProcess.start();
        try (RedisConnection c = source.connection()) {
            c.call("HSET", "conflict", "field-a", "source-a", "field-b", "source-b");
            c.call("SET", "plain", "value");
            c.call("SET", "with-ttl", "expiring", "PX", "3600000");
            c.call("RPUSH", "list", "a", "b", "c");
            c.call("SADD", "set", "x", "y", "z", "1");
            c.call("ZADD", "zset", "1.5", "m1", "-2", "m2", "inf", "m3");
            c.call("HSET", "hash", "f", "v");
            c.call("XADD", "stream", "1-1", "k", "v");
            for (int i = 0; i < 200; i++) {
                c.call("SET", "bulk:" + i, "v" + i);
            }
            keysRdb = Rdbs.save(source, dir.resolve("keys.rdb"));
            sourceKeys = ServerDataset.read(c, 15);
            Rdbs.wipe(c);
            c.call("FUNCTION", "LOAD", LIB_SOURCE);
            c.call("SET", "beside-the-library", "v");
            functionRdb = Rdbs.save(source, dir.resolve("function.rdb"));
        }
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @BeforeEach
    void targetHoldsTheConflictingKey() {
        try (RedisConnection c = target.connection()) {
            Rdbs.wipe(c);
            c.call("SET", "conflict", "target-value");
        }
    }

    static List<String> args(Path rdb, String path, String... extra) {
        List<String> a = new ArrayList<>(List.of("restore", rdb.toString(), "--target", target.uri().toString()));
        if (path.equals("typed")) {
            a.add("--typed");
        }
        a.addAll(List.of(extra));
        return a;
    }

    static FerryCli.Result restore(Path rdb, String path, String... extra) {
        return FerryCli.run(args(rdb, path, extra).toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0} path, default policy")
    @ValueSource(strings = {"restore", "typed"})
    void failIsTheDefault(String path) {
        assertFailedOnConflict(restore(keysRdb, path), path);
    }

    @ParameterizedTest(name = "{0} path, --on-conflict fail")
    @ValueSource(strings = {"restore", "typed"})
    void failStopsNamingTheKeyAndLeavesItUntouched(String path) {
        assertFailedOnConflict(restore(keysRdb, path, "--on-conflict", "fail"), path);
    }

    private static void assertFailedOnConflict(FerryCli.Result r, String path) {
        assertThat(r.exit()).as("exit status\n%s", r).isEqualTo(1);
        assertThat(r.errorLines()).as("error lines\n%s", r).hasSize(1);
        assertThat(r.errorLines().get(0)).contains("'conflict'").contains("already exists");
        assertThat(r.hasStackTrace()).as("stack trace in\n%s", r).isFalse();
        try (RedisConnection c = target.connection()) {
            assertThat(c.call("TYPE", "conflict").asString()).isEqualTo("string");
            assertThat(c.call("GET", "conflict").asString()).isEqualTo("target-value");
            assertThat(c.call("KEYS", "*ferry-tmp*").asList()).as("temporary keys left behind").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void replaceOverwritesTheTargetValue(String path) {
        FerryCli.Result r = restore(keysRdb, path, "--on-conflict", "replace");
        assertThat(r.exit()).as("exit status\n%s", r).isZero();
        assertThat(r.errorLines()).isEmpty();
        try (RedisConnection c = target.connection()) {
            assertThat(ServerDataset.read(c, 15)).isEqualTo(sourceKeys);
        }
        assertThat(r.summary()).contains((sourceKeys.keyCount()) + " keys written").contains(" 0 skipped as existing");
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void skipKeepsTheTargetValueAndWritesTheRest(String path) {
        FerryCli.Result r = restore(keysRdb, path, "--on-conflict", "skip");
        assertThat(r.exit()).as("exit status\n%s", r).isZero();
        assertThat(r.errorLines()).isEmpty();
        Dataset expected = new Dataset();
        sourceKeys.dbs.forEach((db, keys) -> keys.forEach((k, v) -> expected.put(db, k, v)));
        expected.put(0, "conflict", new Dataset.KeyData("string", null, "target-value", new java.util.TreeMap<>(), null, null));
        try (RedisConnection c = target.connection()) {
            assertThat(ServerDataset.read(c, 15)).isEqualTo(expected);
            assertThat(c.call("KEYS", "*ferry-tmp*").asList()).as("temporary keys left behind").isEmpty();
        }
        assertThat(r.summary()).contains((sourceKeys.keyCount() - 1) + " keys written").contains(" 1 skipped as existing");
    }

    // ---- function libraries ----

    private static String targetLibraryCode(RedisConnection c) {
        List<Reply> libs = c.call("FUNCTION", "LIST", "WITHCODE").asList();
        assertThat(libs).hasSize(1);
        List<Reply> fields = libs.get(0).asList();
        for (int i = 0; i < fields.size(); i += 2) {
            if (fields.get(i).asString().equals("library_code")) {
                return fields.get(i + 1).asString();
            }
        }
        throw new AssertionError("no library_code in " + libs);
    }

    private static void targetHasLibrary(String code) {
        try (RedisConnection c = target.connection()) {
            c.call("FUNCTION", "LOAD", code);
        }
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void functionLibraryConflictFails(String path) {
        targetHasLibrary(LIB_TARGET);
        FerryCli.Result r = restore(functionRdb, path);
        assertThat(r.exit()).as("exit status\n%s", r).isEqualTo(1);
        assertThat(r.errorLines()).as("error lines\n%s", r).hasSize(1);
        assertThat(r.errorLines().get(0)).contains("ferrylib").contains("already exists");
        assertThat(r.hasStackTrace()).isFalse();
        try (RedisConnection c = target.connection()) {
            assertThat(targetLibraryCode(c)).isEqualTo(LIB_TARGET);
        }
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void functionLibraryConflictReplaced(String path) {
        targetHasLibrary(LIB_TARGET);
        FerryCli.Result r = restore(functionRdb, path, "--on-conflict", "replace");
        assertThat(r.exit()).as("exit status\n%s", r).isZero();
        try (RedisConnection c = target.connection()) {
            assertThat(targetLibraryCode(c)).isEqualTo(LIB_SOURCE);
            assertThat(c.call("FCALL", "fsource", "0").asString()).isEqualTo("from-source");
            assertThat(c.call("GET", "beside-the-library").asString()).isEqualTo("v");
        }
    }

    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    void functionLibraryConflictSkipped(String path) {
        targetHasLibrary(LIB_TARGET);
        FerryCli.Result r = restore(functionRdb, path, "--on-conflict", "skip");
        assertThat(r.exit()).as("exit status\n%s", r).isZero();
        try (RedisConnection c = target.connection()) {
            assertThat(targetLibraryCode(c)).isEqualTo(LIB_TARGET);
            assertThat(c.call("GET", "beside-the-library").asString()).isEqualTo("v");
        }
        assertThat(r.summary()).contains(" 1 skipped as existing");
    }
}
