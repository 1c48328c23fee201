package io.ferry.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Locates the shared fixture corpus ({@code ../shared/fixtures} beside the checkout). When it is
 * absent the corpus tests are skipped with a visible notice rather than failing.
 */
public final class Fixtures {
    private Fixtures() {}

    public static Path root() {
        String prop = System.getProperty("ferry.fixtures");
        Path p = prop != null ? Paths.get(prop) : Paths.get("..", "shared", "fixtures").toAbsolutePath().normalize();
        return p;
    }

    public static boolean present() {
        return Files.isDirectory(root().resolve("rdb"));
    }

    /** Skips the calling test (visibly) when the corpus is missing. */
    public static Path requireRdbDir() {
        if (!present()) {
            System.err.println("NOTICE: fixture corpus not found at " + root() + " — corpus tests skipped");
        }
        assumeTrue(present(), "fixture corpus not found at " + root() + " (clone shared/ beside the project)");
        return root().resolve("rdb");
    }

    /** Skips the calling test (visibly) when the Pika recordings ({@code fixtures/pika/VERSION}) are missing. */
    public static Path requirePikaDir(String version) {
        Path dir = root().resolve("pika").resolve(version);
        if (!Files.isDirectory(dir)) {
            System.err.println("NOTICE: Pika fixtures not found at " + dir + " — Pika corpus tests skipped");
        }
        assumeTrue(Files.isDirectory(dir), "Pika fixtures not found at " + dir + " (clone shared/ beside the project)");
        return dir;
    }

    /** Every RDB (and AOF with RDB preamble) that has an .expected.json: rdb/, rdb/upstream/, rdb/2026/. */
    public static List<Path> rdbFilesWithExpectations() throws IOException {
        Path dir = requireRdbDir();
        try (Stream<Path> s = Stream.of(dir, dir.resolve("upstream"), dir.resolve("2026")).filter(Files::isDirectory).flatMap(Fixtures::list)) {
            return s.filter(p -> p.toString().endsWith(".rdb") || p.toString().endsWith(".aof"))
                    .filter(p -> Files.exists(expectationOf(p)))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** The RDB files of rdb/2026/ (Valkey 9, Redis RDB 13 and 14) with their expectations. */
    public static List<Path> rdb2026Files() throws IOException {
        return rdbFilesWithExpectations().stream().filter(p -> p.getParent().getFileName().toString().equals("2026")).collect(Collectors.toList());
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.list(dir).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Path expectationOf(Path rdb) {
        String name = rdb.getFileName().toString();
        return rdb.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".expected.json");
    }
}
