package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.RedisUri;
import io.ferry.testing.ClusterWriteLoad;
import io.ferry.testing.Dataset;
import io.ferry.testing.FerryCli;
import io.ferry.testing.FileTargets;
import io.ferry.testing.RedisClusterProcess;
import io.ferry.testing.RedisServerProcess;
import io.ferry.testing.ServerDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry dump} of a real 3-master cluster: one RDB per master in the directory given; the
 * files restored in one run into a standalone server and into a 4-master cluster, and decoded in
 * one run, hold exactly the cluster's data. A file name, or a file already there, is refused.
 */
@Timeout(240)
class DumpClusterIT {
    private static RedisClusterProcess source;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws InterruptedException {
        source = RedisClusterProcess.start(3, 0, "repl-diskless-sync-delay 0");
        try (ClusterWriteLoad load = ClusterWriteLoad.start(RedisUri.parse(source.seedUri()), 21, 6000)) {
            load.awaitDone();
        }
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    private List<Path> dump(Path out) {
        FerryCli.Result r = FerryCli.run("dump", "--source", source.seedUri(), "-o", out.toString());
        assertThat(r.exit()).as("%s", r).isZero();
        Dataset expected = source.dataset();
        assertThat(r.err()).contains(String.format("dump summary: %,d keys", expected.keyCount())).contains("from 3 masters");
        List<Path> files = new ArrayList<>();
        for (RedisServerProcess m : source.masters()) {
            files.add(out.resolve("127.0.0.1_" + m.port() + ".rdb"));
        }
        try (Stream<Path> in = Files.list(out)) {
            assertThat(in.toList()).as("only the shards' files, no .tmp left").containsExactlyInAnyOrderElementsOf(files);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return files;
    }

    private static String[] args(String first, List<Path> files, String... rest) {
        List<String> a = new ArrayList<>(List.of(first));
        files.forEach(f -> a.add(f.toString()));
        a.addAll(List.of(rest));
        return a.toArray(new String[0]);
    }

    @Test
    void oneRdbPerShardRestoresIntoAServerAndIntoAnotherCluster() throws Exception {
        List<Path> files = dump(dir.resolve("backup"));
        Dataset expected = source.dataset();
        try (RedisServerProcess one = RedisServerProcess.start(); RedisConnection c = one.connection()) {
            FerryCli.Result r = FerryCli.run(args("restore", files, "--target", one.uriWithPassword()));
            assertThat(r.exit()).as("%s", r).isZero();
            FileTargets.assertSameKeyspace(ServerDataset.read(c, 0), expected, "a standalone server");
        }
        try (RedisClusterProcess four = RedisClusterProcess.start(4, 0)) {
            FerryCli.Result r = FerryCli.run(args("restore", files, "--target", four.seedUri()));
            assertThat(r.exit()).as("%s", r).isZero();
            FileTargets.assertSameKeyspace(four.dataset(), expected, "a 4-master cluster");
        }
        Path json = dir.resolve("all.jsonl");
        FerryCli.Result r = FerryCli.run(args("decode", files, "-o", json.toString()));
        assertThat(r.exit()).as("%s", r).isZero();
        FileTargets.assertSameKeyspace(Dataset.fromDecodeOutput(json), expected, "decode of the shards' files");
    }

    @Test
    void aFileNameForAClusterIsRefusedInOneLine() {
        Path out = dir.resolve("backup.rdb");
        FerryCli.Result r = FerryCli.run("dump", "--source", source.seedUri(), "-o", out.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLines()).as("%s", r).singleElement().asString().contains("-o names a directory");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void aShardFileAlreadyThereIsRefusedBeforeAnySnapshotUnlessOverwrite() throws Exception {
        Path out = dir.resolve("again");
        Files.createDirectories(out);
        Path taken = out.resolve("127.0.0.1_" + source.masters().get(1).port() + ".rdb");
        Files.writeString(taken, "not mine");
        FerryCli.Result r = FerryCli.run("dump", "--source", source.seedUri(), "-o", out.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLines()).as("%s", r).singleElement().asString().contains("exists already").contains("--overwrite");
        assertThat(r.err()).doesNotContain("waiting for the snapshot");
        try (Stream<Path> in = Files.list(out)) {
            assertThat(in.toList()).containsExactly(taken);
        }
        assertThat(Files.readString(taken)).isEqualTo("not mine");
        assertThat(FerryCli.run("dump", "--source", source.seedUri(), "-o", out.toString(), "--overwrite").exit()).isZero();
        assertThat(Files.size(taken)).isGreaterThan(100);
    }
}
