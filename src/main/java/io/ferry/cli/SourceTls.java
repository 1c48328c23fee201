package io.ferry.cli;

import io.ferry.resp.TlsOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** TLS options of a rediss:// source (the target's are {@link TlsMixin}); an ArgGroup of sync and check. */
final class SourceTls {
    @Option(names = "--source-tls-ca", paramLabel = "PEM", description = "CA certificate(s) for the source.")
    Path ca;

    @Option(names = "--source-tls-cert", paramLabel = "PEM", description = "Client certificate for the source.")
    Path cert;

    @Option(names = "--source-tls-key", paramLabel = "PEM", description = "Client key for the source.")
    Path key;

    @Option(names = "--source-tls-insecure", description = "Do not verify the source's certificate.")
    boolean insecure;

    TlsOptions toOptions() {
        return new TlsOptions(ca, cert, key, insecure);
    }
}
