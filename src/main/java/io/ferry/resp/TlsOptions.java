package io.ferry.resp;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS settings from PEM files, JDK only. {@code caFile} replaces the JDK trust store; {@code certFile} plus
 * {@code keyFile} (unencrypted PKCS#8, RSA or EC) present a client certificate; {@code insecure} trusts any
 * certificate and skips hostname verification. Any path may be null.
 */
public final class TlsOptions {
    /** JDK trust store, hostname verification, no client certificate. */
    public static final TlsOptions DEFAULT = new TlsOptions(null, null, null, false);

    private final Path caFile;
    private final Path certFile;
    private final Path keyFile;
    private final boolean insecure;
    private volatile SSLSocketFactory factory;

    public TlsOptions(Path caFile, Path certFile, Path keyFile, boolean insecure) {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("TLS client authentication needs both a certificate file and a key file");
        }
        this.caFile = caFile;
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.insecure = insecure;
    }

    public Path caFile() {
        return caFile;
    }

    public Path certFile() {
        return certFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    public boolean insecure() {
        return insecure;
    }

    /** The socket factory, built on first use; fails with IllegalArgumentException naming the bad file. */
    public SSLSocketFactory socketFactory() {
        SSLSocketFactory f = factory;
        if (f == null) {
            synchronized (this) {
                f = factory;
                if (f == null) {
                    f = factory = buildContext().getSocketFactory();
                }
            }
        }
        return f;
    }

    /** Layers TLS over a connected socket and completes the handshake, verifying the host name unless insecure. */
    public SSLSocket handshake(Socket plain, String host, int port) throws IOException {
        SSLSocket s = (SSLSocket) socketFactory().createSocket(plain, host, port, true);
        if (!insecure) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
        }
        s.startHandshake();
        return s;
    }

    private SSLContext buildContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers(), trustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise TLS: " + e.getMessage(), e);
        }
    }

    private TrustManager[] trustManagers() throws GeneralSecurityException {
        if (insecure) {
            return new TrustManager[] {new TrustAll()};
        }
        if (caFile == null) {
            return null; // JDK default trust store
        }
        KeyStore ks = emptyKeyStore();
        int i = 0;
        for (Certificate c : readCertificates(caFile, "CA")) {
            ks.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    private KeyManager[] keyManagers() throws GeneralSecurityException {
        if (certFile == null) {
            return null;
        }
        Certificate[] chain = readCertificates(certFile, "client certificate").toArray(new Certificate[0]);
        KeyStore ks = emptyKeyStore();
        ks.setKeyEntry("client", readPrivateKey(keyFile), new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        return kmf.getKeyManagers();
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen without input
        }
        return ks;
    }

    private static Collection<? extends Certificate> readCertificates(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate found in TLS " + what + " file " + file);
            }
            return certs;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read TLS " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey readPrivateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TLS key file " + file + ": " + e, e);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            String hint = pem.contains("ENCRYPTED PRIVATE KEY") ? "it is encrypted"
                    : pem.contains("RSA PRIVATE KEY") || pem.contains("EC PRIVATE KEY") ? "it is not in PKCS#8 format"
                    : "no PEM private key found";
            throw new IllegalArgumentException("unsupported TLS key file " + file + ": " + hint
                    + "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pk8.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("corrupt base64 in TLS key file " + file, e);
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // not this algorithm; try the next one
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("TLS key file " + file + " holds neither an RSA nor an EC key");
    }

    /** Extended so the JDK does not wrap it with its own (hostname) checks. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
