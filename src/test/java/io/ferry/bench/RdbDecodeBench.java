package io.ferry.bench;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.FileType;
import com.moilioncircle.redis.replicator.RedisReplicator;
import com.moilioncircle.redis.replicator.Replicator;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyValuePair;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.ferry.cli.Main;
import io.ferry.rdb.KeyHeader;
import io.ferry.rdb.RdbHandler;
import io.ferry.rdb.RdbReader;
import io.ferry.rdb.ValueSink;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Times one way of decoding an RDB file in this JVM and prints one result line. bench/rdb-decode.sh
 * runs each mode in its own JVM (fresh JIT and heap) with the same -Xmx.
 *
 * <pre>RdbDecodeBench MODE FILE [ROUNDS]
 *   reader      RdbReader with a handler that only counts keys and elements
 *   decode      ferry decode FILE -o /dev/null, in-process through Main.run
 *   replicator  redis-replicator 3.11.0 with a counting listener (reference)</pre>
 *
 * The time is the best of ROUNDS runs (the first warms the JIT and the page cache). Peak heap is
 * the sum of the heap pools' peak usage during the timed rounds (garbage included); live heap is
 * the largest heap occupancy seen right after a garbage collection, i.e. what the decoder holds.
 */
public final class RdbDecodeBench {
    private static final AtomicLong LIVE_MAX = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        File file = new File(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        watchGc();
        long keys = countKeys(file); // untimed: also warms the page cache
        double best = Double.MAX_VALUE;
        resetPeaks();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            long n = run(mode, file);
            double s = (System.nanoTime() - t0) / 1e9;
            if (n >= 0 && n != keys) {
                throw new IllegalStateException(mode + " saw " + n + " keys, the reader " + keys);
            }
            best = Math.min(best, s);
        }
        double mb = file.length() / 1e6;
        System.out.printf(Locale.ROOT, "%-11s keys=%d bytes=%d seconds=%.3f keys_per_s=%.0f mb_per_s=%.1f peak_heap_mb=%.0f live_heap_mb=%.0f max_heap_mb=%.0f%n",
                mode, keys, file.length(), best, keys / best, mb / best, peakHeap() / 1e6, LIVE_MAX.get() / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6);
    }

    /** Runs one decode; returns the keys it saw, or -1 when the mode cannot tell. */
    static long run(String mode, File file) throws Exception {
        switch (mode) {
            case "reader": {
                try (InputStream in = new FileInputStream(file)) {
                    Counter c = new Counter();
                    new RdbReader(in).read(c);
                    return c.keys;
                }
            }
            case "decode": {
                int status = Main.run("decode", file.getPath(), "-o", "/dev/null");
                if (status != 0) {
                    throw new IllegalStateException("ferry decode exited with " + status);
                }
                return -1;
            }
            case "replicator": {
                AtomicLong n = new AtomicLong();
                Replicator r = new RedisReplicator(file, FileType.RDB, Configuration.defaultSetting());
                r.addEventListener((rep, event) -> {
                    if (event instanceof KeyValuePair<?, ?>) {
                        n.incrementAndGet();
                    }
                });
                r.open();
                r.close();
                return n.get();
            }
            default:
                throw new IllegalArgumentException("mode " + mode + ": expected reader, decode or replicator");
        }
    }

    static long countKeys(File file) throws Exception {
        try (InputStream in = new FileInputStream(file)) {
            Counter c = new Counter();
            new RdbReader(in).read(c);
            return c.keys;
        }
    }

    /** Decodes every value (elements are produced and dropped) and counts. */
    static final class Counter implements RdbHandler, ValueSink {
        long keys;
        long elements;

        @Override
        public ValueSink beginKey(KeyHeader header) {
            keys++;
            return this;
        }

        @Override
        public void string(byte[] value) {
            elements++;
        }

        @Override
        public void listElement(byte[] element) {
            elements++;
        }

        @Override
        public void setMember(byte[] member) {
            elements++;
        }

        @Override
        public void zsetEntry(byte[] member, double score) {
            elements++;
        }

        @Override
        public void hashField(byte[] field, byte[] value, long expireAtMs) {
            elements++;
        }

        @Override
        public void streamEntry(io.ferry.rdb.StreamId id, java.util.List<byte[]> fields) {
            elements++;
        }
    }

    private static void resetPeaks() {
        System.gc();
        LIVE_MAX.set(0);
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static void watchGc() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = 0;
                for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (isHeap(e.getKey())) {
                        used += e.getValue().getUsed();
                    }
                }
                LIVE_MAX.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }

    private static boolean isHeap(String pool) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals(pool)) {
                return p.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }
}
