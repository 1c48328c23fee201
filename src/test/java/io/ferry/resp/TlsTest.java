package io.ferry.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ferry.testing.FreePorts;
import io.ferry.testing.RedisServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS against redis-server with certificates made by the openssl command line tool; skipped without openssl. */
@Timeout(60)
class TlsTest {
    @TempDir
    static Path certs;
    private static RedisServerProcess server;
    private static int tlsPort;

    @BeforeAll
    static void startTlsServer() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/openssl"))).as("openssl available").isTrue();
        Files.writeString(certs.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=ferry-test-ca");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=ferry-test-server");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
        clientCertificate("client-rsa", "rsa:2048");
        clientCertificate("client-ec", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
        openssl("rsa", "-in", "client-rsa.key", "-traditional", "-out", "client-rsa-pkcs1.key");

        tlsPort = FreePorts.pick();
        server = RedisServerProcess.start(
                "tls-port " + tlsPort,
                "tls-cert-file " + certs.resolve("server.crt"),
                "tls-key-file " + certs.resolve("server.key"),
                "tls-ca-cert-file " + certs.resolve("ca.crt"),
                "tls-auth-clients yes");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void rsaClientCertificateAndPrivateCa() {
        try (RedisConnection c = open("rediss://127.0.0.1:" + tlsPort + "/1", tls("client-rsa", false))) {
            assertThat(c.call("SET", "tls:k", "v")).isSameAs(Reply.OK);
            assertThat(c.call("GET", "tls:k").asString()).isEqualTo("v");
        }
    }

    @Test
    void ecClientCertificate() {
        try (RedisConnection c = open("rediss://127.0.0.1:" + tlsPort, tls("client-ec", false))) {
            assertThat(c.call("PING")).isSameAs(Reply.PONG);
        }
    }

    @Test
    void pipeliningWorksOverTls() {
        RedisUri uri = RedisUri.parse("rediss://127.0.0.1:" + tlsPort + "/2");
        AtomicInteger ok = new AtomicInteger();
        long start = System.nanoTime();
        try (PipelinedConnection p = new PipelinedConnection(
                RedisConnection.open(uri, tls("client-ec", false), Duration.ofSeconds(5)), 500, 1 << 20)) {
            for (int i = 0; i < 20_000; i++) {
                p.send(RespWriter.utf8("SET", "tls:" + i, "v"), r -> {
                    if (r == Reply.OK) {
                        ok.incrementAndGet();
                    }
                });
            }
        }
        // close() drains and then stops a reader blocked in a TLS read; that must not hang.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(ok).hasValue(20_000);
        try (RedisConnection c = RedisConnection.open(uri, tls("client-ec", false), Duration.ofSeconds(5))) {
            assertThat(c.call("DBSIZE").asLong()).isEqualTo(20_000);
        }
    }

    @Test
    void hostNameMustMatchTheCertificateUnlessInsecure() {
        // The server certificate names only IP 127.0.0.1, not "localhost".
        assertThatThrownBy(() -> open("rediss://localhost:" + tlsPort, tls("client-rsa", false)))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("cannot connect to localhost:" + tlsPort + ": TLS handshake failed");
        try (RedisConnection c = open("rediss://localhost:" + tlsPort, tls("client-rsa", true))) {
            assertThat(c.call("PING")).isSameAs(Reply.PONG);
        }
    }

    @Test
    void untrustedServerCertificateIsRejected() {
        TlsOptions jdkTrustOnly = new TlsOptions(null, certs.resolve("client-rsa.crt"), certs.resolve("client-rsa.key"), false);
        assertThatThrownBy(() -> open("rediss://127.0.0.1:" + tlsPort, jdkTrustOnly))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("TLS handshake failed");
    }

    @Test
    void missingClientCertificateIsReportedAtConnect() {
        TlsOptions noClientCert = new TlsOptions(certs.resolve("ca.crt"), null, null, false);
        assertThatThrownBy(() -> open("rediss://127.0.0.1:" + tlsPort, noClientCert))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + tlsPort);
    }

    @Test
    void plaintextClientOnTheTlsPortIsToldAboutTls() {
        assertThatThrownBy(() -> open("redis://127.0.0.1:" + tlsPort, null))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("does the server expect TLS (rediss://)?");
    }

    @Test
    void tlsClientOnThePlaintextPortFailsTheHandshake() {
        // redis-server waits for a line end that never comes, so only the timeout ends the handshake.
        RedisUri plaintext = RedisUri.parse("rediss://127.0.0.1:" + server.port());
        assertThatThrownBy(() -> RedisConnection.open(plaintext, tls("client-rsa", false), Duration.ofMillis(500)))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("TLS handshake failed (no answer within 500 ms)");
    }

    @Test
    void nonPkcs8KeysGetAConversionHint() {
        TlsOptions pkcs1 = new TlsOptions(certs.resolve("ca.crt"), certs.resolve("client-rsa.crt"),
                certs.resolve("client-rsa-pkcs1.key"), false);
        assertThatThrownBy(pkcs1::socketFactory)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in PKCS#8 format")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void certificateWithoutKeyIsRejectedUpFront() {
        assertThatThrownBy(() -> new TlsOptions(null, certs.resolve("client-rsa.crt"), null, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static TlsOptions tls(String client, boolean insecure) {
        return new TlsOptions(insecure ? null : certs.resolve("ca.crt"), certs.resolve(client + ".crt"),
                certs.resolve(client + ".key"), insecure);
    }

    private static RedisConnection open(String uri, TlsOptions tls) {
        return RedisConnection.open(RedisUri.parse(uri), tls, Duration.ofSeconds(5));
    }

    private static void clientCertificate(String name, String keySpec, String... keyOptions) throws Exception {
        List<String> req = new ArrayList<>(List.of("req", "-newkey", keySpec));
        req.addAll(List.of(keyOptions));
        req.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name));
        openssl(req.toArray(new String[0]));
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2");
        assertThat(Files.readString(certs.resolve(name + ".key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(certs.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + out);
        }
    }
}
