package io.ferry.sink.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output written as {@code PATH.tmp} and renamed to PATH only when complete, so a failed or
 * interrupted run (Ctrl-C included: a shutdown hook removes it) never leaves a half file under
 * the name asked for.
 */
public final class TempFile implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final Thread cleanup;
    private boolean committed;

    private TempFile(Path target) {
        this.target = target;
        this.tmp = target.resolveSibling(target.getFileName() + ".tmp");
        this.cleanup = new Thread(this::delete, "ferry-temp-file-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Starts an output at {@code target}; an existing one is refused unless {@code overwrite}, with
     * {@code howToOverwrite} (the option that allows it) in the message.
     */
    public static TempFile create(Path target, boolean overwrite, String howToOverwrite) {
        refuseExisting(target, overwrite, howToOverwrite);
        return new TempFile(target);
    }

    /** The check of {@link #create}, for a run that wants to fail before its long work starts. */
    public static void refuseExisting(Path target, boolean overwrite, String howToOverwrite) {
        if (target.getFileName() == null || Files.isDirectory(target)) {
            throw new IllegalArgumentException(target + " is a directory");
        }
        if (Files.exists(target) && !overwrite) {
            throw new IllegalArgumentException(target + " exists already; " + howToOverwrite + " overwrites it");
        }
    }

    /** Where to write. */
    public Path path() {
        return tmp;
    }

    /** Gives the written file its name. */
    public void commit() throws IOException {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    private void delete() {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the temp file unless committed. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        if (!committed) {
            delete();
        }
    }
}
