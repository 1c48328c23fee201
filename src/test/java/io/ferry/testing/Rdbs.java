package io.ferry.testing;

import io.ferry.resp.RedisConnection;
import io.ferry.resp.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** RDB files made by a real redis-server: fill it, SAVE, copy its dump.rdb. */
public final class Rdbs {
    private Rdbs() {}

    /** Runs SAVE on {@code server} and copies the resulting dump.rdb to {@code dest}. */
    public static Path save(RedisServerProcess server, Path dest) {
        try (RedisConnection c = server.connection()) {
            Reply r = c.call("SAVE");
            if (r.isError()) {
                throw new IllegalStateException("SAVE failed: " + r);
            }
            Files.createDirectories(dest.toAbsolutePath().getParent());
            return Files.copy(server.dir().resolve("dump.rdb"), dest, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Empties every db and function library of a server. */
    public static void wipe(RedisConnection c) {
        c.call("FLUSHALL");
        c.call("FUNCTION", "FLUSH");
    }
}
