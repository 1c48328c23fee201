package io.ferry.check;

import static io.ferry.check.SidePipes.b;

import io.ferry.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/** Runs {@link Task}s with its own connections to both sides. */
final class Worker implements AutoCloseable {
    private static final byte[] EXISTS = b("EXISTS");

    private final PairComparer comparer;
    private final Recorder recorder;
    private final boolean screenSourceScan;
    private PikaReader pika;
    private java.util.function.Consumer<long[]> seen;

    /**
     * {@code screenSourceScan}: at level keys without a type filter, keys scanned on the source are first screened
     * with EXISTS on the target, and only those it lacks are compared.
     */
    Worker(PairComparer comparer, Recorder recorder, boolean screenSourceScan) {
        this.comparer = comparer;
        this.recorder = recorder;
        this.screenSourceScan = screenSourceScan;
    }

    /** A Pika source: its reader, and where the hashes of the target names its scan produced go. */
    Worker withPika(PikaReader reader, java.util.function.Consumer<long[]> seenTargets) {
        this.pika = reader;
        this.seen = seenTargets;
        return this;
    }

    void run(Task task) {
        switch (task.mode()) {
            case PIKA_SOURCE_SCAN -> {
                PikaReader.Pairs p = pika.scanned(task.db(), task.pikaType(), task.keys());
                long[] hashes = new long[p.targetNames().size()];
                for (int i = 0; i < hashes.length; i++) {
                    hashes[i] = KeyHash.of(task.db(), p.targetNames().get(i));
                }
                seen.accept(hashes);
                compare(task.db(), p.targetNames(), p.states(), true);
            }
            case PIKA_TARGET_SCAN -> compare(task.db(), task.keys(), pika.resolve(task.db(), task.keys(), true), true);
            case PIKA_RECHECK -> compare(task.db(), task.keys(), pika.resolve(task.db(), task.keys(), false), false);
            case SOURCE_SCAN -> {
                if (screenSourceScan) {
                    List<byte[]> absent = lacking(comparer.target(), task.db(), task.keys());
                    for (int i = task.keys().size() - absent.size(); i > 0; i--) {
                        recorder.checked(task.db());
                    }
                    compare(task.db(), absent, null, true);
                } else {
                    compare(task.db(), task.keys(), null, true);
                }
            }
            case TARGET_SCAN -> compare(task.db(), lacking(comparer.source(), task.db(), task.keys()), null, true);
            case COMPARE -> compare(task.db(), task.keys(), task.preset(), true);
            case RECHECK -> compare(task.db(), task.keys(), task.preset(), false);
        }
    }

    private void compare(int db, List<byte[]> keys, KeyState[] preset, boolean count) {
        if (keys.isEmpty()) {
            return;
        }
        Verdict[] verdicts = comparer.compare(db, keys, preset);
        for (Verdict v : verdicts) {
            recorder.record(db, v, count);
        }
    }

    /** The keys the given side does not hold (one pipelined EXISTS per key). */
    private static List<byte[]> lacking(SidePipes side, int db, List<byte[]> keys) {
        side.db(db);
        int[] handles = new int[keys.size()];
        for (int i = 0; i < handles.length; i++) {
            handles[i] = side.add(keys.get(i), EXISTS, keys.get(i));
        }
        SidePipes.run(side);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < handles.length; i++) {
            Reply r = side.reply(handles[i]);
            if (r.isError()) {
                throw ServerReader.failure(side, "EXISTS", r);
            }
            if (r.asLong() == 0) {
                out.add(keys.get(i));
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (comparer.source() != null) {
            comparer.source().close();
        }
        comparer.target().close();
    }
}
