package io.ferry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.resp.RedisUri;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Pika-shaped server for tests, since there is no Pika binary: a real redis-server holds the data,
 * and this proxy in front of it shows what a Pika version shows on the Redis protocol, from its
 * recording ({@code fixtures/pika/VERSION/redis-surface.jsonl}):
 * <ul>
 * <li>{@code INFO} answers the recorded reply bytes ({@code pika_version:…}, no {@code redis_version});
 * <li>the commands that version lacks answer its recorded error (3.3.6 and 3.5/4.0 word it differently);
 * <li>4.0.1's {@code PEXPIREAT} with a future time deletes the key (4.0.1 discrepancy #15), and 3.x's
 * {@code EXPIREAT} after 2038-01-19 deletes it (3.5.5 #24, PIKA.md §7), so a test sees what sending them does;
 * <li>everything else goes to the redis-server.
 * </ul>
 * Every command name received is recorded ({@link #received()}), so a test can prove Ferry never sent one.
 */
public final class PikaSurfaceProxy implements AutoCloseable {
    /** Recorded as unknown on every version; scripting, RENAME/RENAMENX and MODULE Pika has not either. */
    private static final Set<String> ABSENT = Set.of("DUMP", "RESTORE", "OBJECT", "COMMAND", "SYNC", "PSYNC", "REPLCONF", "EVAL", "EVALSHA",
            "SCRIPT", "FUNCTION", "FCALL", "RENAME", "RENAMENX", "MODULE", "PEXPIRETIME", "EXPIRETIME");
    private static final Set<String> TRANSACTIONS = Set.of("MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH");

    private final String version;
    private final int backendPort;
    private final ServerSocket listener;
    private final Map<String, byte[]> recorded = new HashMap<>(); // "INFO SERVER", "DUMP", … → reply bytes
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** {@code version}: 3.3.6, 3.5.5 or 4.0.1 (a directory of the Pika fixtures). */
    public PikaSurfaceProxy(String version, int backendPort) throws IOException {
        this.version = version;
        this.backendPort = backendPort;
        Path surface = Fixtures.requirePikaDir(version).resolve("redis-surface.jsonl");
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(surface)) {
            JsonNode n = json.readTree(line);
            List<String> argv = new ArrayList<>();
            n.get("argv").forEach(a -> argv.add(a.asText().toUpperCase(Locale.ROOT)));
            byte[] reply = HexFormat.of().parseHex(n.get("reply_hex").asText());
            String name = argv.get(0);
            if (name.equals("INFO") && argv.size() == 2) {
                recorded.putIfAbsent("INFO " + argv.get(1), reply);
            } else if (ABSENT.contains(name)) {
                recorded.putIfAbsent(name, reply);
            }
        }
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "pika-proxy-" + port());
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public RedisUri uri() {
        return RedisUri.parse("redis://127.0.0.1:" + port());
    }

    /** Every command name (upper case) a client sent. */
    public Set<String> received() {
        return Set.copyOf(received);
    }

    private boolean major3() {
        return version.startsWith("3.");
    }

    private boolean lacks(String name) {
        return ABSENT.contains(name) || version.equals("3.3.6") && (TRANSACTIONS.contains(name) || name.startsWith("X"));
    }

    /** The version's unknown-command error: recorded where it was, else in the version's recorded wording. */
    private byte[] unknown(String name) {
        byte[] r = recorded.get(name);
        if (r != null) {
            return r;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String line = version.equals("3.3.6") ? "-ERR unknown or unsupported command '" + lower + "\"\r\n" : "-ERR unknown command \"" + lower + "\"\r\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), backendPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                Thread t = new Thread(() -> serve(client, server), "pika-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** What to do with one request: a local reply, or the argv to forward (maybe rewritten). */
    private record Step(byte[] local, List<byte[]> forward) {}

    private void serve(Socket client, Socket server) {
        try (client; server) {
            InputStream cin = new BufferedInputStream(client.getInputStream(), 1 << 16);
            OutputStream cout = new BufferedOutputStream(client.getOutputStream(), 1 << 16);
            InputStream sin = new BufferedInputStream(server.getInputStream(), 1 << 16);
            OutputStream sout = new BufferedOutputStream(server.getOutputStream(), 1 << 16);
            while (true) {
                // Read what the client pipelined, forward it in one go, then answer in order.
                List<Step> steps = new ArrayList<>();
                do {
                    steps.add(step(readRequest(cin)));
                } while (cin.available() > 0 && steps.size() < 1000);
                for (Step s : steps) {
                    if (s.forward() != null) {
                        writeRequest(sout, s.forward());
                    }
                }
                sout.flush();
                for (Step s : steps) {
                    cout.write(s.local() != null ? s.local() : readReply(sin));
                }
                cout.flush();
            }
        } catch (IOException e) {
            // a side closed
        }
    }

    private Step step(List<byte[]> argv) {
        String name = new String(argv.get(0), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
        received.add(name);
        if (name.equals("INFO")) {
            String section = argv.size() > 1 ? new String(argv.get(1), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT) : "SERVER";
            byte[] r = recorded.get("INFO " + section);
            return new Step(r != null ? r : "$0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), null);
        }
        if (lacks(name)) {
            return new Step(unknown(name), null);
        }
        List<byte[]> pikaOnly = pikaOnly(name, argv);
        if (pikaOnly != null) {
            return new Step(null, pikaOnly);
        }
        long now = System.currentTimeMillis();
        boolean deletes = argv.size() == 3 && (name.equals("PEXPIREAT") && !major3() && num(argv.get(2)) > now
                || name.equals("EXPIREAT") && major3() && num(argv.get(2)) > Integer.MAX_VALUE);
        if (deletes) {
            return new Step(null, List.of("DEL".getBytes(StandardCharsets.US_ASCII), argv.get(1))); // replies 1 as Pika does
        }
        return new Step(null, argv);
    }

    // Pika's own commands, as the Redis engine behind the proxy runs them (PIKA.md §7).
    private static final String SET_VX = "if redis.call('GET', KEYS[1]) == ARGV[2] then redis.call('SET', KEYS[1], ARGV[1]) return 1 end return 0";
    private static final String DEL_VX = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    private static final String PATTERN_DEL = "local n, c = 0, '0' repeat local r = redis.call('SCAN', c, 'MATCH', ARGV[1], 'COUNT', 1000) c = r[1] "
            + "for _, k in ipairs(r[2]) do if ARGV[2] == '' or redis.call('TYPE', k).ok == ARGV[2] then n = n + redis.call('DEL', k) end end "
            + "until c == '0' return n";

    /** {@code SET k v VX old}, {@code DELVX k v}, {@code PKPATTERNMATCHDEL pattern [type]} (3.5) as scripts on the engine; null for other commands. */
    private List<byte[]> pikaOnly(String name, List<byte[]> argv) {
        if (name.equals("SET") && argv.size() == 5 && new String(argv.get(3), StandardCharsets.US_ASCII).equalsIgnoreCase("VX")) {
            return List.of(b("EVAL"), b(SET_VX), b("1"), argv.get(1), argv.get(2), argv.get(4));
        }
        if (name.equals("DELVX") && argv.size() == 3) {
            return List.of(b("EVAL"), b(DEL_VX), b("1"), argv.get(1), argv.get(2));
        }
        if (name.equals("PKPATTERNMATCHDEL") && argv.size() >= 2) {
            byte[] type = version.startsWith("3.") && argv.size() > 2 ? argv.get(2) : new byte[0];
            return List.of(b("EVAL"), b(PATTERN_DEL), b("0"), argv.get(1), type);
        }
        return null;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long num(byte[] b) {
        try {
            return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<byte[]> readRequest(InputStream in) throws IOException {
        String head = line(in);
        if (!head.startsWith("*")) {
            throw new IOException("not a RESP array request: " + head);
        }
        int n = Integer.parseInt(head.substring(1));
        List<byte[]> argv = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String len = line(in);
            argv.add(in.readNBytes(Integer.parseInt(len.substring(1))));
            in.readNBytes(2);
        }
        return argv;
    }

    private static void writeRequest(OutputStream out, List<byte[]> argv) throws IOException {
        out.write(("*" + argv.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }

    /** One whole RESP2 reply, as its bytes. */
    private static byte[] readReply(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copyReply(in, out);
        return out.toByteArray();
    }

    private static void copyReply(InputStream in, ByteArrayOutputStream out) throws IOException {
        String head = line(in);
        out.write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        char t = head.charAt(0);
        if (t == '$') {
            int n = Integer.parseInt(head.substring(1));
            if (n >= 0) {
                out.write(in.readNBytes(n + 2));
            }
        } else if (t == '*') {
            int n = Integer.parseInt(head.substring(1));
            for (int i = 0; i < n; i++) {
                copyReply(in, out);
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new EOFException();
            }
            sb.append((char) c);
        }
        in.read(); // \n
        return sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
