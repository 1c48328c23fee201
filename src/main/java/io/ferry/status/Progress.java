package io.ferry.status;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
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

    private Progress(String task, long total, LongSupplier bytes, LongSupplier keys, boolean terminal, long logEverySeconds) {
        this.task = task;
        this.total = total;
        this.bytes = bytes;
        this.keys = keys;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(1, total >> 10)).setUnit(" MiB", 1024)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build();
            timer.scheduleAtFixedRate(this::updateBar, 200, 500, TimeUnit.MILLISECONDS);
        } else {
            bar = null;
            timer.scheduleAtFixedRate(this::logLine, logEverySeconds, logEverySeconds, TimeUnit.SECONDS);
        }
    }

    /** Starts reporting; {@code total} is in bytes (0 when unknown). */
    public static Progress start(String task, long total, LongSupplier bytes, LongSupplier keys) {
        boolean terminal = System.console() != null && System.getenv("FERRY_NO_PROGRESS_BAR") == null;
        return new Progress(task, total, bytes, keys, terminal, 5);
    }

    private void updateBar() {
        long k = keys.getAsLong();
        bar.stepTo(bytes.getAsLong() >> 10);
        bar.setExtraMessage(String.format("%,d keys, %,.0f keys/s", k, k / seconds()));
    }

    private void logLine() {
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
