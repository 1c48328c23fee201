package io.ferry.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and atomically rewrites {@code checkpoint.json} in the state directory. */
public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Path tmp;

    public CheckpointStore(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + stateDir + ": " + e.getMessage(), e);
        }
        this.file = stateDir.resolve("checkpoint.json");
        this.tmp = stateDir.resolve("checkpoint.json.tmp");
    }

    public Checkpoint load() {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), Checkpoint.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("the checkpoint " + file + " is unreadable (" + e.getMessage()
                    + "); move it away to start over with a full sync");
        }
    }

    public synchronized void save(Checkpoint c) {
        try {
            JSON.writeValue(tmp.toFile(), c);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
