package io.ferry.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.testing.FerryCli;
import io.ferry.testing.FreePorts;
import io.ferry.testing.Rdbs;
import io.ferry.testing.RedisServerProcess;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@code ferry restore} fails when the target is not what it should be: a wrong or missing
 * password, nothing listening, and a target that dies in the middle of a restore. Each must end
 * with a non-zero exit and one clear line, never a hang and never only a stack trace.
 */
@Timeout(120)
class RestoreFailuresIT {
    static final String PASSWORD = "s3cret-target-pass";
    static final int KEYS = 300_000;

    @TempDir
    static Path dir;
    static RedisServerProcess source;
    static Path small;
    static Path large;

    @BeforeAll
    static void makeRdbs() throws Exception {
        source = RedisServerProcess.start("enable-debug-command yes");
        try (RedisConnection c = source.connection()) {
            c.call("SET", "a", "1");
            c.call("HSET", "h", "f", "v");
            small = Rdbs.save(source, dir.resolve("small.rdb"));
            c.call("FLUSHALL");
            c.call("DEBUG", "POPULATE", Integer.toString(KEYS), "key", "64");
            large = Rdbs.save(source, dir.resolve("large.rdb"));
        }
        source.close();
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    /**
     * The summary printed despite the failure accounts for every key that was sent: each one was
     * either confirmed written or counted as failed.
     */
    static long assertEverySentKeyAccountedFor(FerryCli.Result r) {
        Matcher m = Pattern.compile("restore summary: ([\\d,]+) keys written \\(([\\d,]+) strings as SET, ([\\d,]+) as RESTORE, ([\\d,]+) as typed commands.* ([\\d,]+) failed;")
                .matcher(r.summary());
        assertThat(m.find()).as("summary line in\n%s", r).isTrue();
        long written = num(m.group(1));
        long sent = num(m.group(2)) + num(m.group(3)) + num(m.group(4));
        long failed = num(m.group(5));
        assertThat(failed).as("failed keys").isPositive();
        assertThat(written + failed).as("written + failed keys of\n%s", r.summary()).isEqualTo(sent);
        return written;
    }

    private static long num(String s) {
        return Long.parseLong(s.replace(",", ""));
    }

    static void assertOneCleanErrorLine(FerryCli.Result r) {
        assertThat(r.exit()).as("exit status\n%s", r).isEqualTo(1);
        assertThat(r.errorLines()).as("error lines\n%s", r).hasSize(1);
        assertThat(r.hasStackTrace()).as("stack trace in\n%s", r).isFalse();
    }

    @Test
    void wrongPasswordIsOneLineWithoutThePassword() {
        try (RedisServerProcess target = RedisServerProcess.start("requirepass " + PASSWORD)) {
            String wrong = "not-the-password-42";
            FerryCli.Result r = FerryCli.run("restore", small.toString(), "--target", "redis://:" + wrong + "@127.0.0.1:" + target.port());
            assertOneCleanErrorLine(r);
            assertThat(r.errorLines().get(0)).contains("authentication failed").contains("127.0.0.1:" + target.port());
            assertThat(r.out() + r.err()).doesNotContain(wrong).doesNotContain(PASSWORD);
            try (RedisConnection c = target.connection()) {
                assertThat(c.call("DBSIZE").asLong()).isZero();
            }
        }
    }

    @Test
    void missingPasswordSaysTheServerRequiresOne() {
        try (RedisServerProcess target = RedisServerProcess.start("requirepass " + PASSWORD)) {
            FerryCli.Result r = FerryCli.run("restore", small.toString(), "--target", "redis://127.0.0.1:" + target.port());
            assertOneCleanErrorLine(r);
            assertThat(r.errorLines().get(0)).contains("requires authentication");
            assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void rightPasswordWorksAndIsNotPrinted() {
        try (RedisServerProcess target = RedisServerProcess.start("requirepass " + PASSWORD)) {
            FerryCli.Result r = FerryCli.run("restore", small.toString(), "--target", target.uriWithPassword());
            assertThat(r.exit()).as("exit status\n%s", r).isZero();
            assertThat(r.out() + r.err()).doesNotContain(PASSWORD).contains("redis://:***@127.0.0.1:" + target.port());
            try (RedisConnection c = target.connection()) {
                assertThat(c.call("DBSIZE").asLong()).isEqualTo(2);
            }
        }
    }

    @Test
    void unreachableTargetIsOneLine() {
        int closed = FreePorts.pick(); // nothing listens there
        FerryCli.Result r = FerryCli.run("restore", small.toString(), "--target", "redis://127.0.0.1:" + closed);
        assertOneCleanErrorLine(r);
        assertThat(r.errorLines().get(0)).contains("cannot connect to 127.0.0.1:" + closed).contains("connection refused");
    }

    /** Kills the target once it holds a few thousand of the 300k keys. */
    @ParameterizedTest(name = "{0} path")
    @ValueSource(strings = {"restore", "typed"})
    @Timeout(90)
    void targetDyingMidRestoreEndsWithOneClearLine(String path) throws Exception {
        try (RedisServerProcess target = RedisServerProcess.start(); RedisConnection probe = target.connection()) {
            String[] args = path.equals("typed")
                    ? new String[] {"restore", large.toString(), "--target", target.uri().toString(), "--typed"}
                    : new String[] {"restore", large.toString(), "--target", target.uri().toString()};
            CompletableFuture<FerryCli.Result> run = CompletableFuture.supplyAsync(() -> FerryCli.run(args));
            long atKill;
            while ((atKill = probe.call("DBSIZE").asLong()) < 5_000) {
                assertThat(run).as("restore ended before the target got 5000 keys").isNotDone();
                Thread.sleep(1);
            }
            target.kill();
            assertThat(atKill).as("keys on the target when it was killed").isLessThan(KEYS);
            FerryCli.Result r = run.get(60, TimeUnit.SECONDS);
            assertOneCleanErrorLine(r);
            assertThat(r.errorLines().get(0)).containsAnyOf("lost", "closed the connection", "reset");
            assertEverySentKeyAccountedFor(r);
        }
    }

    /** The target stops answering (every write paused), then dies while Ferry waits on a full window. */
    @Test
    @Timeout(90)
    void targetDyingWhileRepliesAreAwaitedDoesNotHang() throws Exception {
        try (RedisServerProcess target = RedisServerProcess.start(); RedisConnection probe = target.connection()) {
            probe.call("CLIENT", "PAUSE", "60000", "WRITE");
            CompletableFuture<FerryCli.Result> run = CompletableFuture.supplyAsync(
                    () -> FerryCli.run("restore", large.toString(), "--target", target.uri().toString(), "--lanes", "2"));
            Thread.sleep(1500);
            assertThat(run).as("restore ended although every write was paused").isNotDone();
            target.kill();
            FerryCli.Result r = run.get(60, TimeUnit.SECONDS);
            assertOneCleanErrorLine(r);
            assertThat(r.errorLines().get(0)).containsAnyOf("lost", "closed the connection", "reset");
            assertThat(assertEverySentKeyAccountedFor(r)).as("keys confirmed written while paused").isZero();
        }
    }
}
