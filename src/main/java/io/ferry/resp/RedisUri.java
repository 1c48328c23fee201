package io.ferry.resp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Server address and credentials: {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://...} for
 * TLS, or a bare {@code host[:port]}. As in redis-cli, userinfo without a colon is a password. User and password
 * are percent-decoded; an unencoded '@' or '/' inside the password is tolerated because the last '@' ends the
 * userinfo. IPv6 hosts go in brackets. {@link #toString()} never shows the password.
 */
public final class RedisUri {
    public static final int DEFAULT_PORT = 6379;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Integer db;
    private final boolean tls;

    public RedisUri(String host, int port, String user, String password, Integer db, boolean tls) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be within 1-65535, got " + port);
        }
        if (db != null && db < 0) {
            throw new IllegalArgumentException("database index must not be negative, got " + db);
        }
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.db = db;
        this.tls = tls;
    }

    public static RedisUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("Redis URI is empty");
        }
        String s = uri.strip();
        boolean tls = false;
        int rest = 0;
        int sep = s.indexOf("://");
        if (sep >= 0) {
            String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
            if (scheme.equals("rediss")) {
                tls = true;
            } else if (!scheme.equals("redis")) {
                throw invalid(s, "unsupported scheme '" + scheme + "', expected redis:// or rediss://");
            }
            rest = sep + 3;
        }

        String user = null;
        String password = null;
        int at = s.lastIndexOf('@');
        if (at >= rest) {
            String userInfo = s.substring(rest, at);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                user = emptyToNull(decode(s, userInfo.substring(0, colon), "user name"));
                password = emptyToNull(decode(s, userInfo.substring(colon + 1), "password"));
            } else {
                password = emptyToNull(decode(s, userInfo, "password"));
            }
            rest = at + 1;
        }

        int slash = s.indexOf('/', rest);
        String hostPort = slash < 0 ? s.substring(rest) : s.substring(rest, slash);
        String path = slash < 0 ? "" : s.substring(slash + 1);
        if (hostPort.indexOf('?') >= 0 || path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            throw invalid(s, "query parameters are not supported");
        }

        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw invalid(s, "missing ']' after IPv6 address");
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(s, "unexpected '" + after + "' after IPv6 address");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = hostPort.indexOf(':');
            if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
                throw invalid(s, "IPv6 addresses must be written in brackets, e.g. [::1]:6379");
            }
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw invalid(s, "missing host");
        }

        int port = DEFAULT_PORT;
        if (portText != null) {
            long p = digits(portText);
            if (p < 1 || p > 65535) {
                throw invalid(s, "port '" + portText + "' is not a number within 1-65535");
            }
            port = (int) p;
        }

        Integer db = null;
        if (!path.isEmpty()) {
            long d = digits(path);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw invalid(s, "database '" + path + "' is not a non-negative number");
            }
            db = (int) d;
        }
        return new RedisUri(host, port, user, password, db, tls);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** ACL user name, or null for the default user. */
    public String user() {
        return user;
    }

    /** Password, or null when no AUTH is wanted. */
    public String password() {
        return password;
    }

    /** Database to SELECT, or null to keep the server's default. */
    public Integer db() {
        return db;
    }

    public boolean tls() {
        return tls;
    }

    /** {@code host:port}, with IPv6 hosts bracketed. */
    public String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The same credentials, TLS and db at another node, named {@code host:port} (as CLUSTER SLOTS and twemproxy name them). */
    public RedisUri atNode(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new RedisUri(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), user, password, db, tls);
    }

    public RedisUri withDb(Integer newDb) {
        return new RedisUri(host, port, user, password, newDb, tls);
    }

    /** The URI with the password replaced by {@code ***}. */
    /** Which server (and db) this names, without credentials: what a state directory is bound to. */
    public String identity() {
        return (tls ? "rediss://" : "redis://") + hostPort() + (db == null ? "" : "/" + db);
    }

    public String redacted() {
        StringBuilder b = new StringBuilder(tls ? "rediss://" : "redis://");
        if (user != null || password != null) {
            // "user:" keeps a password-less user from reading back as a password.
            b.append(user == null ? "" : encode(user)).append(':').append(password == null ? "" : "***").append('@');
        }
        b.append(hostPort());
        if (db != null) {
            b.append('/').append(db);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return redacted();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisUri u && port == u.port && tls == u.tls && host.equals(u.host)
                && Objects.equals(user, u.user) && Objects.equals(password, u.password) && Objects.equals(db, u.db);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, user, password, db, tls);
    }

    private static IllegalArgumentException invalid(String input, String problem) {
        return new IllegalArgumentException("invalid Redis URI '" + redactInput(input) + "': " + problem);
    }

    /** Masks the password in raw, possibly malformed input so error messages can quote it. */
    private static String redactInput(String s) {
        int sep = s.indexOf("://");
        int start = sep < 0 ? 0 : sep + 3;
        int at = s.lastIndexOf('@');
        if (at < start) {
            return s;
        }
        int colon = s.indexOf(':', start);
        String user = colon >= 0 && colon < at ? s.substring(start, colon) : "";
        return s.substring(0, start) + user + ":***" + s.substring(at);
    }

    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** Percent-decoding as in RFC 3986 ('+' stays '+', unlike form decoding). */
    private static String decode(String input, String s, String what) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            int pct = s.indexOf('%', i);
            if (pct != i) {
                byte[] literal = s.substring(i, pct < 0 ? s.length() : pct).getBytes(StandardCharsets.UTF_8);
                out.write(literal, 0, literal.length);
                if (pct < 0) {
                    break;
                }
            }
            int hi = pct + 2 < s.length() ? Character.digit(s.charAt(pct + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(pct + 2), 16) : -1;
            if (lo < 0) {
                throw invalid(input, "bad percent-encoding in the " + what + " (write a literal '%' as %25)");
            }
            out.write(hi << 4 | lo);
            i = pct + 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid(input, "the " + what + " is not valid UTF-8 after percent-decoding");
        }
    }

    private static String encode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return b.toString();
    }
}
