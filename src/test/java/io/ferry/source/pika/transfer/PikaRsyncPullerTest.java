package io.ferry.source.pika.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.source.pika.wire.PikaProtocolException;
import io.ferry.source.pika.wire.RsyncMessages;
import io.ferry.testing.FakeRsyncService;
import io.ferry.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PikaRsyncPullerTest {
    static final HexFormat HEX = HexFormat.of();
    static final Duration IO = Duration.ofSeconds(5);

    /** The recorded RsyncService conversation of dbsync.transcript.jsonl: requests and responses in order. */
    record Recording(List<byte[]> requests, List<byte[]> responses, RsyncMessages.Response meta) {}

    static Recording recording(Path versionDir) throws IOException {
        List<byte[]> req = new ArrayList<>(), resp = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(versionDir.resolve("dbsync.transcript.jsonl"))) {
            JsonNode row = json.readTree(line);
            if (!"rsync".equals(row.path("conn").asText()) || row.has("event")) continue;
            byte[] frame;
            if (row.has("hex_omitted")) { // before ‖ the file bytes from snapshot/ ‖ after
                JsonNode d = row.get("decoded");
                String name = d.get("text").asText().replaceAll(".*filename: \"([^\"]*)\".*", "$1");
                byte[] data = Files.readAllBytes(versionDir.resolve("snapshot").resolve(name));
                assertThat(data).hasSize(d.get("file_data").get("length").asInt());
                frame = concat(HEX.parseHex(d.get("hex_before_data").asText()), data, HEX.parseHex(d.get("hex_after_data").asText()));
            } else {
                frame = HEX.parseHex(row.get("hex").asText());
            }
            byte[] body = java.util.Arrays.copyOfRange(frame, 4, frame.length);
            (row.get("dir").asText().equals("to_master") ? req : resp).add(body);
        }
        return new Recording(req, resp, RsyncMessages.parseResponse(resp.get(0)));
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static void assertSameTree(Path expected, Path actual) throws IOException {
        List<String> e = tree(expected), a = tree(actual);
        assertThat(a).isEqualTo(e);
        for (String f : e) assertThat(Files.readAllBytes(actual.resolve(f))).as(f).isEqualTo(Files.readAllBytes(expected.resolve(f)));
    }

    static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    static long sizeOf(Path root) throws IOException {
        long n = 0;
        for (String f : tree(root)) n += Files.size(root.resolve(f));
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5.5", "4.0.1"})
    void replaysTheRecordedPullByteForByte(String version, @TempDir Path tmp) throws Exception {
        Path v = Fixtures.requirePikaDir(version);
        Recording rec = recording(v);
        try (FakeRsyncService fake = new FakeRsyncService(null, null, null)) {
            fake.replay = rec.responses();
            AtomicLong reported = new AtomicLong();
            RsyncPuller.Result r = new RsyncPuller("127.0.0.1", fake.port(), IO).pull("db0", tmp.resolve("db0"), Duration.ofSeconds(5), reported::addAndGet, () -> false);
            assertThat(fake.errors).isEmpty();
            // our puller sent exactly the bytes the recorder did: sorted names, info last, reader_index 0,1,2,3,0,…
            assertThat(fake.received.stream().map(HEX::formatHex).toList()).isEqualTo(rec.requests().stream().map(HEX::formatHex).toList());
            assertSameTree(v.resolve("snapshot"), tmp.resolve("db0"));
            assertThat(r.snapshotUuid()).isEqualTo(rec.meta().snapshotUuid()).hasSize(32);
            assertThat(r.files()).containsExactlyInAnyOrderElementsOf(rec.meta().filenames()).endsWith("info");
            assertThat(r.bytes()).isEqualTo(sizeOf(v.resolve("snapshot"))).isEqualTo(reported.get());
            SnapshotInfo info = SnapshotInfo.parse(Files.readAllBytes(v.resolve("snapshot/info")));
            assertThat(r.info().position()).isEqualTo(info.position());
            assertThat(r.info().offset()).isEqualTo(version.equals("3.5.5") ? 140481 : 138383);
            assertThat(r.info().masterIp()).isEqualTo("127.0.0.1");
            assertThat(r.info().masterPort()).isEqualTo(19601);
            assertThat(r.info().term()).isEqualTo(-1);
        }
    }

    FakeRsyncService synthesized(Path v) throws IOException {
        RsyncMessages.Response meta = recording(v).meta();
        return new FakeRsyncService(v.resolve("snapshot"), meta.filenames(), meta.snapshotUuid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.0.1"})
    void waitsWhileTheDumpIsRunning(String version, @TempDir Path tmp) throws Exception {
        Path v = Fixtures.requirePikaDir(version);
        try (FakeRsyncService fake = synthesized(v)) {
            fake.metaErrs = 1; // BGSAVE still running: kErr, then kOk a second later
            new RsyncPuller("127.0.0.1", fake.port(), IO).pull("db0", tmp.resolve("db0"), Duration.ofSeconds(10), n -> {}, () -> false);
            assertThat(fake.requests.stream().filter(r -> r.type() == RsyncMessages.Type.META).count()).isEqualTo(2);
            assertSameTree(v.resolve("snapshot"), tmp.resolve("db0"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.0.1"})
    void aStopWhileTheDumpIsRunningReturnsAtOnce(String version, @TempDir Path tmp) throws Exception {
        Path v = Fixtures.requirePikaDir(version);
        try (FakeRsyncService fake = synthesized(v)) {
            fake.metaErrs = 1_000_000; // a BGSAVE that never ends
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            long t0 = System.nanoTime();
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                stop.set(true);
            });
            stopper.start();
            assertThat(new RsyncPuller("127.0.0.1", fake.port(), IO).pull("db0", tmp.resolve("db0"), Duration.ofHours(1), n -> {}, stop::get)).isNull();
            stopper.join();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5.5", "4.0.1"})
    void aStopMidPullKeepsWhatWasPulledAndTheNextPullContinues(String version, @TempDir Path tmp) throws Exception {
        Path v = Fixtures.requirePikaDir(version);
        try (FakeRsyncService fake = synthesized(v)) {
            fake.maxChunk = 5000;
            AtomicLong first = new AtomicLong();
            RsyncPuller puller = new RsyncPuller("127.0.0.1", fake.port(), IO);
            assertThat(puller.pull("db0", tmp.resolve("db0"), Duration.ofSeconds(1), first::addAndGet, () -> first.get() >= 20_000)).isNull();
            long total = sizeOf(v.resolve("snapshot"));
            assertThat(first.get()).isBetween(20_000L, total - 1);
            AtomicLong second = new AtomicLong();
            RsyncPuller.Result r = puller.pull("db0", tmp.resolve("db0"), Duration.ofSeconds(1), second::addAndGet, () -> false);
            assertSameTree(v.resolve("snapshot"), tmp.resolve("db0"));
            assertThat(r.bytes()).isEqualTo(total);
            assertThat(second.get()).as("nothing fetched twice").isEqualTo(total - first.get());
            assertThat(fake.errors).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5.5"})
    void aChangedSnapshotAbortsAndAFreshPullWorks(String version, @TempDir Path tmp) throws Exception {
        Path v = Fixtures.requirePikaDir(version);
        try (FakeRsyncService fake = synthesized(v)) {
            fake.changeUuidAfterChunks = 3;
            RsyncPuller puller = new RsyncPuller("127.0.0.1", fake.port(), IO);
            assertThatThrownBy(() -> puller.pull("db0", tmp.resolve("db0"), Duration.ofSeconds(1), n -> {}, () -> false))
                    .isInstanceOfSatisfying(SnapshotChangedException.class, e -> assertThat(e.actualUuid()).isEqualTo("0123456789abcdef0123456789abcdef"));
            RsyncPuller.Result r = puller.pull("db0", tmp.resolve("db0"), Duration.ofSeconds(1), n -> {}, () -> false);
            assertThat(r.snapshotUuid()).isEqualTo("0123456789abcdef0123456789abcdef");
            assertSameTree(v.resolve("snapshot"), tmp.resolve("db0"));
            assertThat(fake.errors).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5.5", "4.0.1"})
    void resumesAfterACut(String version, @TempDir Path tmp) throws Exception {
        Path v = Fixtures.requirePikaDir(version);
        try (FakeRsyncService fake = synthesized(v)) {
            fake.maxChunk = 5000; // several chunks per large file, so the cut falls inside one
            fake.cutAfterChunks = 40;
            RsyncPuller puller = new RsyncPuller("127.0.0.1", fake.port(), IO);
            assertThatThrownBy(() -> puller.pull("db0", tmp.resolve("db0"), Duration.ofSeconds(1), n -> {}, () -> false)).isInstanceOf(IOException.class);
            long firstRun = fake.bytesServed;
            assertThat(firstRun).isPositive();
            int before = fake.requests.size();
            AtomicLong reported = new AtomicLong();
            RsyncPuller.Result r = puller.pull("db0", tmp.resolve("db0"), Duration.ofSeconds(1), reported::addAndGet, () -> false);
            assertSameTree(v.resolve("snapshot"), tmp.resolve("db0"));
            long total = sizeOf(v.resolve("snapshot"));
            assertThat(r.bytes()).isEqualTo(total);
            assertThat(reported.get()).isEqualTo(fake.bytesServed - firstRun).isEqualTo(total - firstRun); // nothing fetched twice
            RsyncMessages.Request firstFileRequest = fake.requests.subList(before, fake.requests.size()).stream()
                    .filter(q -> q.type() == RsyncMessages.Type.FILE).findFirst().orElseThrow();
            assertThat(firstFileRequest.offset()).as("the interrupted file continues from its size").isPositive();
            assertThat(fake.errors).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.0.1"})
    void anUnknownDbIsRefusedAndBadNamesAreRejected(String version, @TempDir Path tmp) throws Exception {
        Path v = Fixtures.requirePikaDir(version);
        try (FakeRsyncService fake = synthesized(v)) {
            RsyncPuller puller = new RsyncPuller("127.0.0.1", fake.port(), IO);
            assertThatThrownBy(() -> puller.pull("db9", tmp.resolve("db9"), Duration.ZERO, n -> {}, () -> false))
                    .isInstanceOfSatisfying(SnapshotRefusedException.class, e -> assertThat(e.db()).isEqualTo("db9"))
                    .hasMessageContaining("'db9'");
            assertThat(tmp.resolve("db9")).doesNotExist();
        }
        for (String bad : List.of("../evil", "/etc/passwd", "0/../../x", "a//b")) {
            try (FakeRsyncService fake = new FakeRsyncService(v.resolve("snapshot"), List.of("info", bad), "u")) {
                assertThatThrownBy(() -> new RsyncPuller("127.0.0.1", fake.port(), IO).pull("db0", tmp.resolve("x"), Duration.ZERO, n -> {}, () -> false))
                        .as(bad).isInstanceOf(PikaProtocolException.class).hasMessageContaining("refusing");
                assertThat(fake.requests).hasSize(1); // only the meta request: nothing was fetched
            }
        }
    }
}
