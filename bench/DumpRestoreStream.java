import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference input for bench/restore.sh: DUMPs every key of one db of a running server and writes
 * {@code RESTORE key 0 payload} for each, as RESP, to a file that {@code redis-cli --pipe} can
 * replay. Self-contained on purpose (plain sockets, its own tiny RESP reader): the reference must
 * not depend on the code it is compared with.
 *
 * <p>Usage: {@code java bench/DumpRestoreStream.java HOST PORT OUT_FILE}
 */
public final class DumpRestoreStream {
    public static void main(String[] args) throws IOException {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        long keys = 0;
        try (Socket s = new Socket(host, port);
                OutputStream file = new BufferedOutputStream(Files.newOutputStream(Paths.get(args[2])), 1 << 20)) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 20);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 20);
            String cursor = "0";
            do {
                command(out, bytes("SCAN"), bytes(cursor), bytes("COUNT"), bytes("10000"));
                out.flush();
                @SuppressWarnings("unchecked")
                List<Object> page = (List<Object>) read(in);
                cursor = new String((byte[]) page.get(0), StandardCharsets.US_ASCII);
                @SuppressWarnings("unchecked")
                List<Object> batch = (List<Object>) page.get(1);
                for (Object k : batch) {
                    command(out, bytes("DUMP"), (byte[]) k);
                }
                out.flush();
                for (Object k : batch) {
                    Object payload = read(in);
                    if (payload == null) {
                        continue; // expired or deleted meanwhile
                    }
                    command(file, bytes("RESTORE"), (byte[]) k, bytes("0"), (byte[]) payload);
                    keys++;
                }
            } while (!cursor.equals("0"));
        }
        System.out.println(keys);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void command(OutputStream out, byte[]... argv) throws IOException {
        out.write(('*' + Integer.toString(argv.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            out.write(('$' + Integer.toString(a.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }

    /** Bulk → byte[] (null for nil), array → List, integer/status → String; an error reply throws. */
    static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+': case ':': return line;
            case '-': throw new IOException("server error: " + line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                in.skipNBytes(2);
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                List<Object> l = new ArrayList<>(Math.max(0, n));
                for (int i = 0; i < n; i++) {
                    l.add(read(in));
                }
                return l;
            }
            default: throw new IOException("unexpected RESP type byte " + type);
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read(); // '\n'
        return sb.toString();
    }
}
