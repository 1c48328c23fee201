package io.ferry.bench;

import io.ferry.source.pika.snapshot.BlackwidowDumpWriter;
import io.ferry.testing.FakePikaMaster;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The two halves of bench/pika.sh that need Java (Ferry itself runs as its CLI, in its own JVM).
 *
 * <pre>PikaSyncBench gen DIR KEYS BIG ITEMS
 *     writes DIR/dump/ (a blackwidow dump of {@link PikaBenchData}, info at binlog 1/1000),
 *     DIR/dump.resp and DIR/binlog.resp (the same data as typed commands, for redis-cli --pipe)
 * PikaSyncBench master DIR WORK KEYS BIG ITEMS
 *     serves DIR/dump and the ITEMS-item binlog as a Pika 3.5.5 master; prints "port=P"; holds the
 *     binlog until WORK/release exists, then writes WORK/drain.txt once every item is acked</pre>
 */
public final class PikaSyncBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        int at = args[0].equals("master") ? 3 : 2;
        PikaBenchData data = new PikaBenchData(Long.parseLong(args[at]), Integer.parseInt(args[at + 1]));
        long items = Long.parseLong(args[at + 2]);
        switch (args[0]) {
            case "gen" -> gen(dir, data, items);
            case "master" -> master(dir, Path.of(args[2]), data, items);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void gen(Path dir, PikaBenchData d, long items) throws IOException {
        Path dump = dir.resolve("dump");
        Files.createDirectories(dump);
        long t0 = System.nanoTime();
        try (BlackwidowDumpWriter w = new BlackwidowDumpWriter(dump); Resp ref = new Resp(dir.resolve("dump.resp"))) {
            for (long i = 0; i < d.keys; i++) {
                byte[] k = PikaBenchData.b("key:" + i);
                byte[] v = PikaBenchData.stringValue(i);
                w.string(k, v);
                ref.cmd(PikaBenchData.b("SET"), k, v);
            }
            for (int i = 0; i < d.small; i++) {
                collections(w, ref, i, "", PikaBenchData.SMALL_ELEMENTS);
            }
            for (int i = 0; i < PikaBenchData.BIG_KEYS; i++) {
                collections(w, ref, i, "big", d.big);
            }
            w.info(1, 1000);
        }
        try (Resp ref = new Resp(dir.resolve("binlog.resp"))) {
            for (byte[][] argv : d.binlog(items)) {
                ref.cmd(PikaBenchData.forRedis(argv));
            }
        }
        long bytes;
        try (Stream<Path> s = Files.walk(dump)) {
            bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf(Locale.ROOT, "dump_keys=%d dump_bytes=%d gen_s=%.1f%n", d.dumpKeys(), bytes, (System.nanoTime() - t0) / 1e9);
    }

    /** hash/list/set/zset {prefix}hash:i … with n elements each; the reference writes them 1000 elements per command. */
    private static void collections(BlackwidowDumpWriter w, Resp ref, int i, String prefix, int n) throws IOException {
        List<byte[][]> fields = new ArrayList<>(n);
        List<byte[]> members = new ArrayList<>(n);
        double[] scores = new double[n];
        for (int j = 0; j < n; j++) {
            fields.add(new byte[][] {PikaBenchData.b("field:" + j), PikaBenchData.b("value-" + j + "-" + i)});
            members.add(PikaBenchData.b("member:" + j));
            scores[j] = j;
        }
        byte[] hash = PikaBenchData.b(prefix + "hash:" + i), list = PikaBenchData.b(prefix + "list:" + i);
        byte[] set = PikaBenchData.b(prefix + "set:" + i), zset = PikaBenchData.b(prefix + "zset:" + i);
        w.hash(hash, fields);
        w.list(list, members);
        w.set(set, members);
        w.zset(zset, members, scores);
        for (int from = 0; from < n; from += 1000) {
            int to = Math.min(n, from + 1000);
            List<byte[]> h = new ArrayList<>(List.of(PikaBenchData.b("HSET"), hash));
            List<byte[]> l = new ArrayList<>(List.of(PikaBenchData.b("RPUSH"), list));
            List<byte[]> s = new ArrayList<>(List.of(PikaBenchData.b("SADD"), set));
            List<byte[]> z = new ArrayList<>(List.of(PikaBenchData.b("ZADD"), zset));
            for (int j = from; j < to; j++) {
                h.add(fields.get(j)[0]);
                h.add(fields.get(j)[1]);
                l.add(members.get(j));
                s.add(members.get(j));
                z.add(PikaBenchData.b(Long.toString((long) scores[j])));
                z.add(members.get(j));
            }
            for (List<byte[]> c : List.of(h, l, s, z)) {
                ref.cmd(c.toArray(new byte[0][]));
            }
        }
    }

    private static void master(Path dir, Path work, PikaBenchData d, long items) throws Exception {
        try (FakePikaMaster m = FakePikaMaster.synthetic(dir.resolve("dump"), "3.5.5", d.binlog(items))) {
            m.holdBinlog = true;
            System.out.println("port=" + m.port());
            System.out.flush();
            Path release = work.resolve("release");
            while (!Files.exists(release)) {
                Thread.sleep(10);
            }
            long t0 = System.nanoTime();
            m.holdBinlog = false;
            while (m.itemsAcked.get() < items && m.violations.isEmpty()) {
                Thread.sleep(5);
            }
            double s = (m.lastAckNanos - t0) / 1e9;
            String line = String.format(Locale.ROOT, "RESULT drain_items=%d drain_s=%.3f drain_items_per_s=%.0f first_push_ms=%.1f dbsyncs=%d repl_connections=%d violations=%d%n",
                    m.itemsAcked.get(), s, m.itemsAcked.get() / s, (m.firstPushNanos - t0) / 1e6, m.dbSyncs.get(), m.replConnections.get(), m.violations.size());
            Files.writeString(work.resolve("drain.txt"), line + String.join("\n", m.violations));
            Thread.sleep(Long.MAX_VALUE); // the script stops Ferry first, then this process
        }
    }

    /** A file of RESP commands for redis-cli --pipe. */
    private static final class Resp implements AutoCloseable {
        private final OutputStream out;

        Resp(Path p) throws IOException {
            out = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16);
        }

        void cmd(byte[]... argv) throws IOException {
            out.write(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] a : argv) {
                out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(a);
                out.write('\r');
                out.write('\n');
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
