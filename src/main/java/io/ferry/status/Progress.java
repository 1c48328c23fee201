package io.ferry.status;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows how a long job advances: a progress bar (bytes, keys, keys/s, ETA) on a terminal, a log
 * line every few seconds otherwise (so CI logs and files stay readable).
 */
public final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ferry-progress");
        t.setDaemon(true);
        return t;
    });
    private final ProgressBar bar;
    private final String task;
    private final long total;
    private final LongSupplier bytes;
    private final LongSupplier keys;
    private final long startNanos = System.nanoTime();
    /** Counting keys against a key total (no bytes); null when counting bytes. */
    private final Supplier<String> note;

    private Progress(String task, long total, LongSupplier bytes, LongSupplier keys, boolean terminal, long logEverySeconds,
            Supplier<String> note) {
        this.task = task;
        this.total = total;
        this.bytes = bytes;
        this.keys = keys;
        this.note = note;
        if (terminal) {
            ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).continuousUpdate();
            bar = (note != null ? b.setInitialMax(Math.max(1, total)).setUnit(" keys", 1)
                    : b.setInitialMax(Math.max(1, total >> 10)).setUnit(" MiB", 1024)).build();
            timer.scheduleAtFixedRate(this::updateBar, 200, 500, TimeUnit.MILLISECONDS);
        } else {
            bar = null;
            timer.scheduleAtFixedRate(this::logLine, logEverySeconds, logEverySeconds, TimeUnit.SECONDS);
        }
    }

    /** Starts reporting; {@code total} is in bytes (0 when unknown). */
    public static Progress start(String task, long total, LongSupplier bytes, LongSupplier keys) {
        return new Progress(task, total, bytes, keys, terminal(), 5, null);
    }

    /**
     * Starts reporting a job that counts keys: {@code totalKeys} is an estimate (0 when unknown), {@code note} adds a
     * short text to each update (e.g. "3 differences").
     */
    public static Progress startKeys(String task, long totalKeys, LongSupplier keys, Supplier<String> note) {
        return new Progress(task, totalKeys, keys, keys, terminal(), 5, note);
    }

    private static boolean terminal() {
        return System.console() != null && System.getenv("FERRY_NO_PROGRESS_BAR") == null;
    }

    private void updateBar() {
        long k = keys.getAsLong();
        if (note != null) {
            bar.maxHint(Math.max(total, k));
            bar.stepTo(k);
            bar.setExtraMessage(String.format("%,.0f keys/s, %s", k / seconds(), note.get()));
            return;
        }
        bar.stepTo(bytes.getAsLong() >> 10);
        bar.setExtraMessage(String.format("%,d keys, %,.0f keys/s", k, k / seconds()));
    }

    private void logLine() {
        if (note != null) {
            long k = keys.getAsLong();
            double s = seconds();
            String of = total > 0 ? String.format(" of ~%,d (%.1f%%)", total, 100.0 * Math.min(k, total) / total) : "";
            String eta = total > k && k > 0 ? String.format(", ETA %ds", (long) ((total - k) * s / k)) : "";
            LOG.info("{}: {} keys{}, {} keys/s{}, {}", task, String.format("%,d", k), of, String.format("%,.0f", k / s), eta, note.get());
            return;
        }
        long b = bytes.getAsLong();
        long k = keys.getAsLong();
        double s = seconds();
        String pct = total > 0 ? String.format(" (%.1f%%)", 100.0 * b / total) : "";
        String eta = total > 0 && b > 0 ? String.format(", ETA %ds", (long) ((total - b) * s / b)) : "";
        LOG.info("{}: {} of {}{}, {} keys, {} keys/s{}", task, mib(b), mib(total), pct, String.format("%,d", k), String.format("%,.0f", k / s), eta);
    }

    private double seconds() {
        return Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    }

    static String mib(long b) {
        return String.format("%.1f MiB", b / 1048576.0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (bar != null) {
            updateBar();
            bar.close();
        }
    }
}
