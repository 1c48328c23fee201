package io.ferry.cli;

import io.ferry.resp.TlsOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** TLS options for rediss:// URIs. */
public final class TlsMixin {
    @Option(names = "--tls-ca", paramLabel = "PEM", description = "CA certificate(s) to trust for rediss:// servers (default: the JVM's trust store).")
    Path ca;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Client certificate for mutual TLS.")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PKCS#8, unencrypted) of the client certificate.")
    Path key;

    @Option(names = "--tls-insecure", description = "Do not verify the server's certificate or host name (testing only).")
    boolean insecure;

    public TlsOptions toOptions() {
        return new TlsOptions(ca, cert, key, insecure);
    }
}
