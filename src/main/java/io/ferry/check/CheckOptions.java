package io.ferry.check;

import io.ferry.filter.KeyFilter;
import io.ferry.resp.TlsOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a check needs. The source is a server topology or, when {@code sourceFile} is set, an RDB file.
 *
 * @param sample at most this many keys per direction (0: no limit)
 * @param sampleRate the share of keys checked, 0 < rate <= 1 (keys are picked by a hash of db and key, so the same
 *     keys are picked on both sides and in every run)
 * @param qps most commands per second sent to the source (0: unlimited)
 * @param batch keys per pipelined round trip
 * @param chunk elements per round trip when a big collection is compared, and the size up to which a collection
 *     is read whole
 * @param stringWindow bytes of a string read per round trip
 * @param parallel workers, each with its own connections to both sides
 * @param maxDiffs differences kept for rechecks and the report; more are only counted
 * @param pika set when the source server is Pika: how it is listed and read, and the same-name policy
 */
public record CheckOptions(
        Topology source,
        TlsOptions sourceTls,
        Path sourceFile,
        Topology target,
        TlsOptions targetTls,
        Level level,
        Duration ttlTolerance,
        int rounds,
        Duration interval,
        long sample,
        double sampleRate,
        KeyFilter filter,
        double qps,
        int batch,
        int chunk,
        int stringWindow,
        int parallel,
        long maxDiffs,
        PikaOrigin pika) {

    public CheckOptions {
        if ((source == null) == (sourceFile == null)) {
            throw new IllegalArgumentException("give either a source server or a source RDB file");
        }
        if (rounds < 1 || batch < 1 || chunk < 1 || stringWindow < 1 || parallel < 1 || maxDiffs < 1) {
            throw new IllegalArgumentException("rounds, batch, chunk, string window, parallel and max diffs must be at least 1");
        }
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("the sample rate must be within (0, 1], got " + sampleRate);
        }
    }

    /** Defaults: full level, 2 s TTL tolerance, 3 rounds 5 s apart, everything, unlimited rate. */
    public static CheckOptions of(Topology source, Path sourceFile, Topology target) {
        return new CheckOptions(source, TlsOptions.DEFAULT, sourceFile, target, TlsOptions.DEFAULT, Level.FULL,
                Duration.ofSeconds(2), 3, Duration.ofSeconds(5), 0, 1.0, KeyFilter.ALL, 0, 100, 500, 256 * 1024, 4,
                1_000_000, null);
    }

    public CheckOptions withLevel(Level l) {
        return new CheckOptions(source, sourceTls, sourceFile, target, targetTls, l, ttlTolerance, rounds, interval, sample,
                sampleRate, filter, qps, batch, chunk, stringWindow, parallel, maxDiffs, pika);
    }

    public CheckOptions withRounds(int r, Duration every) {
        return new CheckOptions(source, sourceTls, sourceFile, target, targetTls, level, ttlTolerance, r, every, sample,
                sampleRate, filter, qps, batch, chunk, stringWindow, parallel, maxDiffs, pika);
    }

    public CheckOptions withPika(PikaOrigin p) {
        return new CheckOptions(source, sourceTls, sourceFile, target, targetTls, level, ttlTolerance, rounds, interval, sample,
                sampleRate, filter, qps, batch, chunk, stringWindow, parallel, maxDiffs, p);
    }

    public long ttlToleranceMs() {
        return ttlTolerance.toMillis();
    }

    boolean sourceIsFile() {
        return sourceFile != null;
    }
}
