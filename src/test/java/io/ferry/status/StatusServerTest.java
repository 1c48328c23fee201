package io.ferry.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusServerTest {
    private final AtomicLong ops = new AtomicLong(42);
    private StatusServer server;

    /** What {@code ferry sync} publishes, with its password already redacted. */
    private StatusSnapshot syncStatus() {
        return StatusSnapshot.builder()
                .text("state", "incremental")
                .text("source", "redis://:***@10.0.0.1:6379")
                .text("target", "redis://10.0.0.2:6379/0")
                .text("replid", "8c5a6d1e0c2f4b7a9d3e1f0a2b4c6d8e0f1a2b3c")
                .gauge("snapshot_bytes_received", 1_048_576, "Bytes of the source snapshot received.")
                .gauge("snapshot_bytes_applied", 1_048_576, "Bytes of the source snapshot applied on the target.")
                .counter("keys_applied", 1000, "Snapshot keys written to the target.")
                .counter("ops_applied", ops.get(), "Replication stream commands applied on the target.")
                .gauge("ops_per_second", 1234.5, "Commands applied per second, recent average.")
                .gauge("lag_bytes", 17, "Replication stream bytes received but not yet applied.")
                .gauge("lag_seconds", 0.25, "Age of the oldest received command not yet applied.")
                .gauge("applied_offset", 123_456_789L, "Source replication offset applied on the target.")
                .gauge("source_offset", 123_456_806L, "Source replication offset received.")
                .counter("errors", 0, "Commands the target refused.")
                .counter("skipped_unknown_commands", 2, "Commands skipped by --on-unknown-command skip.")
                .counter("full_syncs", 1, "Full synchronisations done.")
                .counter("reconnects", 3, "Reconnections to the source.")
                .flag("second_full_sync_allowed", false, "Whether a lost stream may trigger another full sync.")
                .gauge("uptime_seconds", 42, "Seconds since start.")
                .build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int start() throws IOException {
        return start(this::syncStatus);
    }

    private int start(Supplier<StatusSnapshot> status) throws IOException {
        server = StatusServer.start(StatusServer.DEFAULT_HOST, 0, status);
        return server.port();
    }

    @Test
    void listensOnLoopbackByDefault() throws IOException {
        start();
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(server.port()).isPositive();
    }

    @Test
    void servesStatusAsJson() throws IOException {
        int port = start();
        HttpReply r = http(port, "GET /status HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test\r\n\r\n");
        assertThat(r.statusLine).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.headers).contains("Content-Type: application/json; charset=utf-8", "Connection: close",
                "Content-Length: " + r.body.getBytes(StandardCharsets.UTF_8).length);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = new ObjectMapper().readValue(r.body, Map.class);
        assertThat(json.keySet()).containsExactlyElementsOf(syncStatus().values().keySet());
        assertThat(json).containsEntry("state", "incremental").containsEntry("source", "redis://:***@10.0.0.1:6379")
                .containsEntry("ops_applied", 42).containsEntry("lag_seconds", 0.25)
                .containsEntry("applied_offset", 123_456_789).containsEntry("second_full_sync_allowed", false);
    }

    @Test
    void servesPrometheusMetrics() throws IOException {
        int port = start();
        HttpReply r = http(port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\n\r\n");
        assertThat(r.statusLine).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.headers).contains("Content-Type: text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body.split("\n")).contains(
                "ferry_info{state=\"incremental\",source=\"redis://:***@10.0.0.1:6379\",target=\"redis://10.0.0.2:6379/0\","
                        + "replid=\"8c5a6d1e0c2f4b7a9d3e1f0a2b4c6d8e0f1a2b3c\"} 1",
                "# HELP ferry_ops_applied_total Replication stream commands applied on the target.",
                "# TYPE ferry_ops_applied_total counter",
                "ferry_ops_applied_total 42",
                "# TYPE ferry_lag_seconds gauge",
                "ferry_lag_seconds 0.25",
                "ferry_ops_per_second 1234.5",
                "ferry_skipped_unknown_commands_total 2",
                "ferry_second_full_sync_allowed 0",
                "ferry_uptime_seconds 42");
    }

    @Test
    void acceptsHttp10AndQueryStrings() throws IOException {
        int port = start();
        HttpReply r = http(port, "GET /metrics?name[]=x HTTP/1.0\r\n\r\n");
        assertThat(r.statusLine).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.body).contains("ferry_ops_applied_total 42\n");
    }

    @Test
    void answersOtherPathsAndMethodsWithErrors() throws IOException {
        int port = start();
        assertThat(http(port, "GET / HTTP/1.1\r\n\r\n").statusLine).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(http(port, "GET /status/x HTTP/1.1\r\n\r\n").statusLine).isEqualTo("HTTP/1.1 404 Not Found");
        HttpReply post = http(port, "POST /status HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(post.statusLine).isEqualTo("HTTP/1.1 405 Method Not Allowed");
        assertThat(post.headers).contains("Allow: GET, HEAD");
    }

    @Test
    void headSendsHeadersOnly() throws IOException {
        int port = start();
        HttpReply r = http(port, "HEAD /status HTTP/1.1\r\n\r\n");
        assertThat(r.statusLine).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.body).isEmpty();
        assertThat(r.headers).anyMatch(h -> h.matches("Content-Length: [1-9][0-9]*"));
    }

    @Test
    void answersRespInfo() throws IOException {
        int port = start();
        try (Socket s = connect(port)) {
            s.getOutputStream().write("*1\r\n$4\r\nINFO\r\n".getBytes(StandardCharsets.US_ASCII));
            String info = readBulk(s.getInputStream());
            assertThat(info).startsWith("# Ferry\r\nstate:incremental\r\nsource:redis://:***@10.0.0.1:6379\r\n")
                    .contains("\r\nops_applied:42\r\n", "\r\nlag_seconds:0.25\r\n", "\r\nsecond_full_sync_allowed:0\r\n")
                    .endsWith("uptime_seconds:42\r\n");
        }
    }

    @Test
    void answersInlineInfo() throws IOException {
        int port = start();
        try (Socket s = connect(port)) {
            s.getOutputStream().write("INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readBulk(s.getInputStream())).startsWith("# Ferry\r\n").contains("\r\nreplid:8c5a6d1e0c2f4b7a9d3e1f0a2b4c6d8e0f1a2b3c\r\n");
        }
    }

    @Test
    void servesPipelinedCommandsInOrderUntilQuit() throws IOException {
        int port = start();
        String requests = "PING\r\n*1\r\n$4\r\nping\r\n*2\r\n$4\r\nPING\r\n$3\r\nh\0i\r\nAUTH secret\r\n\r\n*0\r\nINFO replication\r\nQUIT\r\nPING\r\n";
        assertThat(exchange(port, requests)).isEqualTo(
                "+PONG\r\n+PONG\r\n$3\r\nh\0i\r\n-ERR unknown command 'AUTH'\r\n$0\r\n\r\n+OK\r\n");
    }

    @Test
    void refusesBrokenRespAndCloses() throws IOException {
        int port = start();
        // Each request ends where the error is found: unread bytes would make the server's close a reset.
        assertThat(exchange(port, "*1\r\n$x\r\n")).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
        assertThat(exchange(port, "*1\r\n$4\r\nPINGxx")).isEqualTo("-ERR Protocol error: bulk string not followed by CRLF\r\n");
        assertThat(exchange(port, "*9999\r\n")).isEqualTo("-ERR Protocol error: more than 1024 arguments\r\n");
        assertThat(exchange(port, "x".repeat(Lines.MAX + 1))).isEqualTo("-ERR Protocol error: line longer than 65536 bytes\r\n");
    }

    @Test
    void readsAFreshSnapshotForEveryRequest() throws IOException {
        int port = start();
        try (Socket s = connect(port)) {
            s.getOutputStream().write("INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readBulk(s.getInputStream())).contains("\r\nops_applied:42\r\n");
            ops.set(43);
            s.getOutputStream().write("INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readBulk(s.getInputStream())).contains("\r\nops_applied:43\r\n");
        }
        assertThat(http(port, "GET /metrics HTTP/1.1\r\n\r\n").body).contains("ferry_ops_applied_total 43\n");
    }

    @Test
    void reportsAFailingSupplierWithoutDying() throws IOException {
        int port = start(() -> {
            throw new IllegalStateException("not ready");
        });
        assertThat(http(port, "GET /status HTTP/1.1\r\n\r\n").statusLine).isEqualTo("HTTP/1.1 500 Internal Server Error");
        assertThat(exchange(port, "INFO\r\nPING\r\nQUIT\r\n")).isEqualTo("-ERR status unavailable\r\n+PONG\r\n+OK\r\n");
    }

    @Test
    void servesSeveralConnectionsAtOnce() throws IOException {
        int port = start();
        try (Socket idleRedisCli = connect(port); Socket halfHttp = connect(port)) {
            idleRedisCli.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(idleRedisCli.getInputStream())).isEqualTo("+PONG");
            halfHttp.getOutputStream().write("GET /status HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            // Both stay open in their worker threads while a third client is served.
            assertThat(http(port, "GET /status HTTP/1.1\r\n\r\n").statusLine).isEqualTo("HTTP/1.1 200 OK");
            idleRedisCli.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(idleRedisCli.getInputStream())).isEqualTo("+PONG");
        }
    }

    @Test
    void closesConnectionsBeyondTheLimit() throws IOException, InterruptedException {
        int port = start();
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < StatusServer.MAX_CONNECTIONS; i++) {
                Socket s = connect(port);
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readLine(s.getInputStream())).isEqualTo("+PONG"); // served, so it holds a worker
                held.add(s);
            }
            try (Socket extra = connect(port)) {
                assertThat(extra.getInputStream().read()).isEqualTo(-1);
            }
            held.remove(0).close();
            // The freed worker takes new connections again once it has seen the client leave.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            String reply = "";
            while (!reply.equals("+PONG\r\n") && System.nanoTime() < deadline) {
                Thread.sleep(20);
                reply = exchange(port, "PING\r\nQUIT\r\n").replace("+OK\r\n", "");
            }
            assertThat(reply).isEqualTo("+PONG\r\n");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void closeEndsConnectionsAndFreesThePort() throws IOException {
        int port = start();
        try (Socket open = connect(port)) {
            open.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(open.getInputStream())).isEqualTo("+PONG");
            server.close();
            assertThat(open.getInputStream().read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    @Test
    void reportsAPortInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> StatusServer.start(StatusServer.DEFAULT_HOST, taken.getLocalPort(), this::syncStatus))
                    .isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void redisCliShowsTheMigrationState() throws Exception {
        int port = start();
        String out = run("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port), "info");
        assertThat(out.split("\r?\n")).contains("# Ferry", "state:incremental", "source:redis://:***@10.0.0.1:6379",
                "ops_applied:42", "lag_bytes:17", "full_syncs:1", "replid:8c5a6d1e0c2f4b7a9d3e1f0a2b4c6d8e0f1a2b3c");
        assertThat(run("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port), "ping")).isEqualTo("PONG\n");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5_000);
        return s;
    }

    /** Sends the bytes and reads everything until the server closes the connection. */
    private static String exchange(int port, String request) throws IOException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private record HttpReply(String statusLine, List<String> headers, String body) {}

    private static HttpReply http(int port, String request) throws IOException {
        String raw = new String(exchange(port, request).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        int end = raw.indexOf("\r\n\r\n");
        assertThat(end).as(raw).isPositive();
        List<String> head = List.of(raw.substring(0, end).split("\r\n"));
        return new HttpReply(head.get(0), head.subList(1, head.size()), raw.substring(end + 4));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            assertThat(c).as("connection closed early").isNotNegative();
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        assertThat(s).endsWith("\r");
        return s.substring(0, s.length() - 1);
    }

    private static String readBulk(InputStream in) throws IOException {
        String header = readLine(in);
        assertThat(header).startsWith("$");
        int n = Integer.parseInt(header.substring(1));
        byte[] data = in.readNBytes(n + 2);
        assertThat(data).hasSize(n + 2);
        assertThat(new String(data, n, 2, StandardCharsets.ISO_8859_1)).isEqualTo("\r\n");
        return new String(data, 0, n, StandardCharsets.UTF_8);
    }
}
