package io.ferry.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Housekeeping of the files Ferry keeps on local disk (spill files, temp dirs). */
public final class StateFiles {
    private StateFiles() {}

    /** Deletes {@code dir} and everything below it, as far as possible; a missing dir is fine. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: what remains is deleted by the next run
        }
    }
}
