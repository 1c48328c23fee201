package io.ferry.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code INFO}, {@code PING} and {@code QUIT} to Redis clients until they leave, so that
 * {@code redis-cli -p PORT info} shows a migration's state. Requests may be RESP arrays or inline commands,
 * mixed freely on one connection as Redis allows.
 */
final class RespSession {
    private static final Logger LOG = LoggerFactory.getLogger(RespSession.class);
    private static final int MAX_ARGS = 1024;

    private final InputStream in;
    private final OutputStream out;
    private final Supplier<StatusSnapshot> status;

    private RespSession(InputStream in, OutputStream out, Supplier<StatusSnapshot> status) {
        this.in = in;
        this.out = out;
        this.status = status;
    }

    /** Serves the connection, starting with its already-read first line. */
    static void serve(String firstLine, InputStream in, OutputStream out, Supplier<StatusSnapshot> status) throws IOException {
        new RespSession(in, out, status).run(firstLine);
    }

    private void run(String firstLine) throws IOException {
        try {
            for (String line = firstLine; line != null; line = Lines.read(in)) {
                List<String> args = line.startsWith("*") ? array(line) : inline(line);
                if (args == null) {
                    return; // the client left in the middle of a command
                }
                if (!args.isEmpty() && !execute(args)) {
                    return;
                }
                out.flush();
            }
        } catch (BadRequestException e) {
            reply("-ERR Protocol error: " + e.getMessage() + "\r\n");
            out.flush();
        }
    }

    /** Runs one command; false when the connection should close. */
    private boolean execute(List<String> args) throws IOException {
        String name = args.get(0).toUpperCase(Locale.ROOT);
        switch (name) {
            case "PING" -> {
                if (args.size() > 2) {
                    reply("-ERR wrong number of arguments for 'ping' command\r\n");
                } else if (args.size() == 2) {
                    bulk(args.get(1));
                } else {
                    reply("+PONG\r\n");
                }
            }
            case "INFO" -> {
                StatusSnapshot s;
                try {
                    s = status.get();
                } catch (RuntimeException e) {
                    LOG.warn("status unavailable for INFO", e);
                    reply("-ERR status unavailable\r\n");
                    return true;
                }
                bulk(new String(InfoText.render(s, args.subList(1, args.size())).getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
            }
            case "QUIT" -> {
                reply("+OK\r\n");
                out.flush();
                return false;
            }
            // Only the name is echoed, never the arguments (AUTH would otherwise send a password back).
            default -> reply("-ERR unknown command '" + printable(args.get(0)) + "'\r\n");
        }
        return true;
    }

    /** A RESP array of bulk strings, {@code *N} already read; null at end of stream. */
    private List<String> array(String header) throws IOException {
        int n = number(header.substring(1), "invalid multibulk length");
        if (n > MAX_ARGS) {
            throw new BadRequestException("more than " + MAX_ARGS + " arguments");
        }
        List<String> args = new ArrayList<>(Math.max(n, 0));
        for (int i = 0; i < n; i++) {
            String len = Lines.read(in);
            if (len == null) {
                return null;
            }
            if (!len.startsWith("$")) {
                throw new BadRequestException("expected '$', got '" + printable(len.isEmpty() ? "" : len.substring(0, 1)) + "'");
            }
            int size = number(len.substring(1), "invalid bulk length");
            if (size < 0 || size > Lines.MAX) {
                throw new BadRequestException("invalid bulk length");
            }
            byte[] data = in.readNBytes(size + 2);
            if (data.length < size + 2) {
                return null;
            }
            if (data[size] != '\r' || data[size + 1] != '\n') {
                throw new BadRequestException("bulk string not followed by CRLF");
            }
            args.add(new String(data, 0, size, StandardCharsets.ISO_8859_1));
        }
        return args;
    }

    private static List<String> inline(String line) {
        String trimmed = line.strip();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("[ \t]+"));
    }

    private static int number(String s, String problem) throws BadRequestException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new BadRequestException(problem);
        }
    }

    /** Arguments are held as ISO-8859-1 so every byte maps to one char and back unchanged. */
    private void bulk(String s) throws IOException {
        reply("$" + s.length() + "\r\n" + s + "\r\n");
    }

    private void reply(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
