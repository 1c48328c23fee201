import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measurement helper of bench/sync.sh (plain JDK, no dependencies). It watches the source's
 * {@code INFO replication}: {@code master_repl_offset} is what the source has written,
 * the {@code offset=} of its replica line is what Ferry ACKed as applied on the target.
 *
 * <pre>
 *   BenchProbe stream PORT PER_TEST TESTS -- redis-benchmark ARGS...   throughput under redis-benchmark, one run per test
 *   BenchProbe drain PORT PER_TEST TESTS FERRY_PID -- redis-benchmark ARGS...   the same with Ferry stopped, then its catch-up
 *   BenchProbe steady PORT RATE SECONDS                          lag under a rate-limited writer
 * </pre>
 */
public final class BenchProbe {
    private static final long T0 = System.nanoTime();

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        switch (args[0]) {
            case "stream" -> stream(Integer.parseInt(args[1]), Long.parseLong(args[2]), args[3], Arrays.copyOfRange(args, 5, args.length));
            case "drain" -> drain(Integer.parseInt(args[1]), Long.parseLong(args[2]), args[3], Long.parseLong(args[4]),
                    Arrays.copyOfRange(args, 6, args.length));
            case "steady" -> steady(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    // ---------------------------------------------------------------- sampling

    /** One look at the source: time (ns since start), its offset, the replica's acked offset. */
    record Sample(long t, long master, long acked) {}

    /** Samples INFO replication every {@code intervalMs} on its own thread. */
    static final class Sampler extends Thread {
        final List<Sample> samples = new ArrayList<>();
        private final Conn conn;
        private final long intervalNanos;
        private volatile boolean stop;

        Sampler(int port, long intervalMs) throws IOException {
            super("sampler");
            setDaemon(true);
            this.conn = new Conn(port);
            this.intervalNanos = intervalMs * 1_000_000;
        }

        @Override
        public void run() {
            long next = System.nanoTime();
            try {
                while (!stop) {
                    Sample s = sample(conn);
                    synchronized (samples) {
                        samples.add(s);
                    }
                    next += intervalNanos;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    } else {
                        next = System.nanoTime();
                    }
                }
            } catch (Exception e) {
                System.err.println("sampler: " + e);
            }
        }

        Sample last() {
            synchronized (samples) {
                return samples.isEmpty() ? null : samples.get(samples.size() - 1);
            }
        }

        List<Sample> snapshot() {
            synchronized (samples) {
                return new ArrayList<>(samples);
            }
        }

        void finish() throws InterruptedException {
            stop = true;
            join();
        }
    }

    static Sample sample(Conn c) throws IOException {
        String info = c.info("replication");
        long t = System.nanoTime() - T0;
        long master = -1;
        long acked = -1;
        int replicas = 0;
        for (String line : info.split("\r\n")) {
            if (line.startsWith("master_repl_offset:")) {
                master = Long.parseLong(line.substring(19).trim());
            } else if (line.startsWith("slave") && line.contains("offset=")) {
                replicas++;
                for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
                    if (kv.startsWith("offset=")) {
                        acked = Long.parseLong(kv.substring(7));
                    }
                }
            }
        }
        if (replicas != 1) {
            throw new IllegalStateException("expected exactly one replica (Ferry) on the source, found " + replicas);
        }
        return new Sample(t, master, acked);
    }

    /** First time the source's offset reached {@code offset} (linear between samples). */
    static double masterReached(List<Sample> s, long offset) {
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).master >= offset) {
                if (i == 0) {
                    return s.get(0).t;
                }
                Sample a = s.get(i - 1);
                Sample b = s.get(i);
                return a.t + (double) (b.t - a.t) * (offset - a.master) / Math.max(1, b.master - a.master);
            }
        }
        return Double.NaN;
    }

    /** First time the acked offset reached {@code offset} (linear between samples). */
    static double ackedReached(List<Sample> s, long offset) {
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).acked >= offset) {
                if (i == 0) {
                    return s.get(0).t;
                }
                Sample a = s.get(i - 1);
                Sample b = s.get(i);
                return a.t + (double) (b.t - a.t) * (offset - a.acked) / Math.max(1, b.acked - a.acked);
            }
        }
        return Double.NaN;
    }

    /** Time lag of a sample: how long ago the source had written what Ferry has acked now. */
    static double timeLagSeconds(List<Sample> s, Sample x) {
        if (x.acked >= x.master) {
            return 0;
        }
        double when = masterReached(s, x.acked + 1);
        return Double.isNaN(when) ? Double.NaN : (x.t - when) / 1e9;
    }

    static Sample waitCaughtUp(Sampler sampler, long target, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            Sample s = sampler.last();
            if (s != null && s.acked >= target) {
                return s;
            }
            Thread.sleep(20);
        }
        return null;
    }

    // ---------------------------------------------------------------- stream: redis-benchmark

    static void stream(int port, long perTest, String tests, String[] benchmark) throws Exception {
        Conn c = new Conn(port);
        Sampler sampler = new Sampler(port, 100);
        sampler.start();
        Thread.sleep(250);
        long m0 = sample(c).master;
        long start = System.nanoTime() - T0;
        Runs runs = runBenchmarks(c, tests, benchmark);
        List<String> names = runs.names;
        List<Long> ends = runs.ends;
        List<String> report = runs.report;
        long written = System.nanoTime() - T0;
        long mEnd = sample(c).master;
        Sample done = waitCaughtUp(sampler, mEnd, 600_000);
        Thread.sleep(300);
        sampler.finish();
        List<Sample> s = sampler.snapshot();
        long total = perTest * names.size();
        double firstWrite = masterReached(s, m0 + 1);
        System.out.println("  redis-benchmark: " + String.join(" | ", report));
        System.out.printf("  source: %,d commands (%,d per test), %,.1f MB of stream in %.2f s = %,.0f commands/s written%n",
                total, perTest, (mEnd - m0) / 1e6, (written - start) / 1e9, total / ((written - start) / 1e9));
        if (done == null) {
            System.out.printf("  FERRY DID NOT CATCH UP within 600 s: acked %,d of %,d bytes%n", sampler.last().acked - m0, mEnd - m0);
            System.out.println("RESULT applied_cmds_per_s=0");
            return;
        }
        double caught = ackedReached(s, mEnd);
        double e2e = total / ((caught - firstWrite) / 1e9);
        System.out.printf("  Ferry: everything applied %.2f s after the first write, %.2f s after the benchmark ended%n",
                (caught - firstWrite) / 1e9, (caught - written) / 1e9);
        System.out.printf("  applied end to end: %,.0f commands/s (all %,d commands / time from first write to last ack)%n", e2e, total);
        // Per test: from the ack crossing the previous test's end to the ack crossing this one's.
        long prev = m0;
        double prevT = firstWrite;
        double bestTest = 0;
        for (int i = 0; i < names.size(); i++) {
            double tEnd = ackedReached(s, ends.get(i));
            double wEnd = masterReached(s, ends.get(i));
            double rate = perTest / ((tEnd - prevT) / 1e9);
            bestTest = Math.max(bestTest, rate);
            System.out.printf("    %-6s %,11.0f cmds/s applied  (%5.1f bytes/cmd; source wrote it in %.2f s, Ferry applied it in %.2f s)%n",
                    names.get(i), rate, (double) (ends.get(i) - prev) / perTest, (wEnd - masterReached(s, prev + 1)) / 1e9, (tEnd - prevT) / 1e9);
            prev = ends.get(i);
            prevT = tEnd;
        }
        long maxLagBytes = 0;
        double maxLagS = 0;
        for (Sample x : s) {
            maxLagBytes = Math.max(maxLagBytes, x.master - x.acked);
            double l = timeLagSeconds(s, x);
            if (!Double.isNaN(l)) {
                maxLagS = Math.max(maxLagS, l);
            }
        }
        System.out.printf("  lag: max %,.1f MB behind the source, max %.2f s (age of the acked position)%n", maxLagBytes / 1e6, maxLagS);
        System.out.println("  timeline (1 s buckets): t  source MB/s  applied MB/s  applied cmds/s(est)  lag MB  lag s");
        double bytesPerCmd = (double) (mEnd - m0) / total;
        Sample prevS = null;
        for (Sample x : s) {
            if (x.t < start - 1e9) {
                continue;
            }
            if (prevS == null) {
                prevS = x;
                continue;
            }
            if (x.t - prevS.t >= 1e9 || x == s.get(s.size() - 1)) {
                double dt = (x.t - prevS.t) / 1e9;
                System.out.printf("    %5.1f %8.1f %10.1f %14.0f %12.1f %6.2f%n", (x.t - start) / 1e9, (x.master - prevS.master) / 1e6 / dt,
                        (x.acked - prevS.acked) / 1e6 / dt, (x.acked - prevS.acked) / bytesPerCmd / dt, (x.master - x.acked) / 1e6,
                        timeLagSeconds(s, x));
                prevS = x;
            }
        }
        System.out.printf("RESULT applied_cmds_per_s=%.0f best_test_cmds_per_s=%.0f max_lag_s=%.2f%n", e2e, bestTest, maxLagS);
    }

    /** What the redis-benchmark runs did: test names, the source offset after each, their summary lines. */
    static final class Runs {
        final List<String> names = new ArrayList<>();
        final List<Long> ends = new ArrayList<>();
        final List<String> report = new ArrayList<>();
    }

    /** One redis-benchmark run per test, so each test's end is an exact source offset. */
    static Runs runBenchmarks(Conn c, String tests, String[] benchmark) throws Exception {
        Runs runs = new Runs();
        for (String test : tests.split(",")) {
            List<String> cmd = new ArrayList<>(Arrays.asList(benchmark));
            cmd.add("-t");
            cmd.add(test);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("redis-benchmark failed: " + out);
            }
            runs.names.add(test.toUpperCase(Locale.ROOT));
            runs.ends.add(sample(c).master);
            for (String l : out.split("[\\r\\n]+")) {
                if (l.contains("requests per second") && !l.contains("rps=")) {
                    runs.report.add(l.trim().replaceAll(", p50=.*", ""));
                }
            }
        }
        return runs;
    }

    // ---------------------------------------------------------------- drain: Ferry paused while the benchmark runs

    static void drain(int port, long perTest, String tests, long ferryPid, String[] benchmark) throws Exception {
        Conn c = new Conn(port);
        Sample before = sample(c);
        Runs runs;
        long mEnd;
        signal("STOP", ferryPid);
        try {
            runs = runBenchmarks(c, tests, benchmark);
            mEnd = sample(c).master;
        } catch (Exception e) {
            signal("CONT", ferryPid);
            throw e;
        }
        Sampler sampler = new Sampler(port, 20);
        long resumed = System.nanoTime() - T0;
        signal("CONT", ferryPid);
        sampler.start();
        long total = perTest * runs.names.size();
        System.out.println("  redis-benchmark (Ferry stopped): " + String.join(" | ", runs.report));
        System.out.printf("  backlog: %,d commands, %,.1f MB of stream held by the source while Ferry was stopped%n", total,
                (mEnd - before.master) / 1e6);
        Sample done = waitCaughtUp(sampler, mEnd, 600_000);
        sampler.finish();
        if (done == null) {
            System.out.println("  FERRY DID NOT CATCH UP within 600 s");
            System.out.println("RESULT drain_cmds_per_s=0");
            return;
        }
        List<Sample> s = sampler.snapshot();
        double caught = ackedReached(s, mEnd);
        double secs = (caught - resumed) / 1e9;
        System.out.printf("  Ferry resumed and applied the whole backlog in %.2f s = %,.0f commands/s (%.1f MB/s of stream)%n", secs, total / secs,
                (mEnd - before.master) / 1e6 / secs);
        // Per test only where the acks (every --ack-interval) and the 20 ms samples can time it.
        double prevT = resumed;
        for (int i = 0; i < runs.names.size(); i++) {
            double tEnd = ackedReached(s, runs.ends.get(i));
            double took = (tEnd - prevT) / 1e9;
            System.out.printf(took >= 0.5 ? "    %-6s %,11.0f cmds/s applied (%.2f s)%n" : "    %-6s %11s (%.2f s: too short to time on its own)%n",
                    runs.names.get(i), took >= 0.5 ? perTest / took : "-", took);
            prevT = tEnd;
        }
        System.out.printf("RESULT drain_cmds_per_s=%.0f%n", total / secs);
    }

    static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
        }
    }

    // ---------------------------------------------------------------- steady: rate-limited writer

    static void steady(int port, int rate, int seconds) throws Exception {
        Sampler sampler = new Sampler(port, 100);
        sampler.start();
        Thread.sleep(300);
        Writer w = new Writer(port, rate, seconds);
        long start = System.nanoTime() - T0;
        w.start();
        w.join();
        long end = System.nanoTime() - T0;
        Conn c = new Conn(port);
        long mEnd = sample(c).master;
        Sample done = waitCaughtUp(sampler, mEnd, 60_000);
        Thread.sleep(200);
        sampler.finish();
        List<Sample> all = sampler.snapshot();
        // Skip the first second (connection set-up, JIT of the writer) and everything after the writer stopped.
        List<Sample> s = new ArrayList<>();
        for (Sample x : all) {
            if (x.t >= start + 1_000_000_000L && x.t <= end) {
                s.add(x);
            }
        }
        if (s.size() < 10) {
            System.out.println("  too few samples: " + s.size());
            return;
        }
        Sample first = s.get(0);
        Sample last = s.get(s.size() - 1);
        double dt = (last.t - first.t) / 1e9;
        double byteRate = (last.master - first.master) / dt;
        double achieved = w.sent.get() / ((w.endNanos - w.startNanos) / 1e9);
        double bytesPerCmd = byteRate / achieved;
        System.out.printf("  writer: %,d commands in %.1f s = %,.0f writes/s (asked %,d/s, 1 ms ticks, SET/INCR/HSET/LPUSH on 100k keys), "
                + "stream %.2f MB/s (%.1f bytes/cmd)%n", w.sent.get(), (w.endNanos - w.startNanos) / 1e9, achieved, rate, byteRate / 1e6, bytesPerCmd);
        double[] lagMs = new double[s.size()];
        double[] timeLagMs = new double[s.size()];
        long[] lagBytes = new long[s.size()];
        int under = 0;
        for (int i = 0; i < s.size(); i++) {
            Sample x = s.get(i);
            lagBytes[i] = Math.max(0, x.master - x.acked);
            lagMs[i] = lagBytes[i] / byteRate * 1000;
            timeLagMs[i] = timeLagSeconds(all, x) * 1000;
            if (lagMs[i] < 100) {
                under++;
            }
        }
        long[] lb = lagBytes.clone();
        Arrays.sort(lb);
        System.out.printf("  %d samples every 100 ms over %.1f s (first second skipped)%n", s.size(), dt);
        System.out.printf("  lag bytes (source offset - Ferry acked): p50 %,d  p90 %,d  p99 %,d  max %,d%n", pct(lb, 50), pct(lb, 90), pct(lb, 99),
                lb[lb.length - 1]);
        System.out.printf("  lag as time (bytes / %.2f MB/s): mean %.1f ms  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f ms; %.1f%% of samples under 100 ms%n",
                byteRate / 1e6, mean(lagMs), pctD(lagMs, 50), pctD(lagMs, 90), pctD(lagMs, 99), pctD(lagMs, 100), 100.0 * under / s.size());
        System.out.printf("  cross-check, age of the acked position: p50 %.1f ms  p99 %.1f  max %.1f ms (source offsets sampled every 100 ms)%n",
                pctD(timeLagMs, 50), pctD(timeLagMs, 99), pctD(timeLagMs, 100));
        System.out.printf("  after the writer stopped: %s%n", done == null ? "NOT caught up within 60 s"
                : String.format("caught up %.0f ms later", (ackedReached(all, mEnd) - end) / 1e6));
        System.out.printf("RESULT writes_per_s=%.0f lag_p50_ms=%.1f lag_p99_ms=%.1f lag_max_ms=%.1f lag_mean_ms=%.1f%n", achieved, pctD(lagMs, 50),
                pctD(lagMs, 99), pctD(lagMs, 100), mean(lagMs));
    }

    /** Writes SET/INCR/HSET/LPUSH at a fixed rate on one pipelined connection, in 1 ms ticks. */
    static final class Writer extends Thread {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong replies = new AtomicLong();
        private final Conn conn;
        private final int rate;
        private final int seconds;
        volatile long startNanos;
        volatile long endNanos;

        Writer(int port, int rate, int seconds) throws IOException {
            super("writer");
            this.conn = new Conn(port);
            this.rate = rate;
            this.seconds = seconds;
        }

        @Override
        public void run() {
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[65536];
                try {
                    for (int n; (n = conn.in.read(buf)) > 0; ) {
                        for (int i = 0; i < n; i++) {
                            if (buf[i] == '\n') {
                                replies.incrementAndGet();
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // closed at the end
                }
            }, "writer-replies");
            reader.setDaemon(true);
            reader.start();
            ThreadLocalRandom r = ThreadLocalRandom.current();
            OutputStream out = new BufferedOutputStream(conn.out, 1 << 16);
            startNanos = System.nanoTime();
            long stopAt = startNanos + seconds * 1_000_000_000L;
            try {
                long now;
                while ((now = System.nanoTime()) < stopAt) {
                    long due = (long) ((now - startNanos) / 1e9 * rate);
                    long n = due - sent.get();
                    if (sent.get() - replies.get() > rate) {
                        n = 0; // the source cannot keep up: do not pile up more than a second of commands
                    }
                    for (long i = 0; i < n; i++) {
                        int k = r.nextInt(100_000);
                        switch (r.nextInt(4)) {
                            case 0 -> cmd(out, "SET", "s:" + k, "v" + r.nextLong());
                            case 1 -> cmd(out, "INCR", "c:" + k);
                            case 2 -> cmd(out, "HSET", "h:" + (k % 10_000), "f" + (k / 10_000), "v" + k);
                            default -> cmd(out, "LPUSH", "l:" + (k % 10_000), "v" + k);
                        }
                    }
                    sent.addAndGet(n);
                    out.flush();
                    long next = startNanos + (long) ((sent.get() + Math.max(1, rate / 1000)) * 1e9 / rate);
                    long sleep = Math.min(next - System.nanoTime(), 1_000_000);
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
                endNanos = System.nanoTime();
                long deadline = System.currentTimeMillis() + 10_000;
                while (replies.get() < sent.get() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }

        private static void cmd(OutputStream out, String... args) throws IOException {
            out.write(Conn.encode(args));
        }
    }

    static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double pctD(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.max(0, Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1))];
    }

    static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    // ---------------------------------------------------------------- minimal RESP client

    static final class Conn {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Conn(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        static byte[] encode(String... args) {
            StringBuilder sb = new StringBuilder();
            sb.append('*').append(args.length).append("\r\n");
            for (String a : args) {
                sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
            }
            return sb.toString().getBytes(StandardCharsets.US_ASCII);
        }

        String info(String section) throws IOException {
            out.write(encode("INFO", section));
            out.flush();
            String header = line();
            if (!header.startsWith("$")) {
                throw new IOException("unexpected INFO reply " + header);
            }
            byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)) + 2);
            return new String(body, StandardCharsets.US_ASCII);
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int ch; (ch = in.read()) >= 0 && ch != '\n'; ) {
                if (ch != '\r') {
                    sb.append((char) ch);
                }
            }
            return sb.toString();
        }
    }
}
