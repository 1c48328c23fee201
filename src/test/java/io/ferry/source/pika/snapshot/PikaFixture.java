package io.ferry.source.pika.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.testing.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The recorded Pika dumps of fixtures/pika/VERSION and their expectations (JSON strings are latin-1 bytes). */
final class PikaFixture {
    static final ObjectMapper JSON = new ObjectMapper();

    final String version;
    final Path dir;

    private PikaFixture(String version, Path dir) {
        this.version = version;
        this.dir = dir;
    }

    static PikaFixture of(String version) {
        return new PikaFixture(version, Fixtures.requirePikaDir(version));
    }

    /** The directory of one db: 3.3.6 pushed {@code snapshot/db0/}, 3.5/4.0 pull straight into {@code snapshot/}. */
    Path dbDir() {
        Path db0 = dir.resolve("snapshot").resolve("db0");
        return Files.isDirectory(db0) ? db0 : dir.resolve("snapshot");
    }

    JsonNode expected() {
        return read(dir.resolve("snapshot.expected.json"));
    }

    /** The BGSAVE time the fixture's liveness verdicts use, in ms. */
    long referenceMs() {
        JsonNode e = expected();
        return e.has("reference_time_unix_ms") ? e.get("reference_time_unix_ms").asLong() : e.get("reference_time_unix").asLong() * 1000;
    }

    List<JsonNode> jsonLines(String file) {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(dir.resolve(file), StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static JsonNode read(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** expected.json's type section names. */
    static PikaType typeOfSection(String section) {
        switch (section) {
            case "strings": return PikaType.STRING;
            case "hashes": return PikaType.HASH;
            case "lists": return PikaType.LIST;
            case "sets": return PikaType.SET;
            case "zsets": return PikaType.ZSET;
            case "streams": return PikaType.STREAM;
            default: throw new IllegalArgumentException(section);
        }
    }
}
