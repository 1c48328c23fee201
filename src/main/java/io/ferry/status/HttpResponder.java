package io.ferry.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one HTTP/1.x request ({@code GET /status}, {@code GET /metrics}) and closes the connection. Headers are
 * read only to find their end and are never kept or logged: they may carry credentials.
 */
final class HttpResponder {
    private static final Logger LOG = LoggerFactory.getLogger(HttpResponder.class);
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]+) (\\S+) HTTP/1\\.[01]");
    private static final int MAX_HEADERS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponder() {}

    /** Answers the request if {@code firstLine} is an HTTP/1.x request line; otherwise returns false having read nothing. */
    static boolean serve(String firstLine, InputStream in, OutputStream out, Supplier<StatusSnapshot> status) throws IOException {
        Matcher m = REQUEST_LINE.matcher(firstLine);
        if (!m.matches()) {
            return false;
        }
        for (int headers = 0; ; headers++) {
            String line;
            try {
                line = Lines.read(in);
            } catch (BadRequestException e) {
                respond(out, 400, "Bad Request", "text/plain", "header line too long\n", false);
                return true;
            }
            if (line == null) {
                return true; // the client left before finishing its request
            }
            if (line.isEmpty()) {
                break;
            }
            if (headers == MAX_HEADERS) {
                respond(out, 400, "Bad Request", "text/plain", "too many header lines\n", false);
                return true;
            }
        }
        String method = m.group(1);
        String path = m.group(2).replaceFirst("\\?.*", "");
        boolean head = method.equals("HEAD");
        if (!path.equals("/status") && !path.equals("/metrics")) {
            respond(out, 404, "Not Found", "text/plain", "not found: try /status or /metrics\n", head);
        } else if (!head && !method.equals("GET")) {
            respond(out, 405, "Method Not Allowed", "text/plain", "only GET and HEAD\n", false);
        } else {
            StatusSnapshot s;
            try {
                s = status.get();
            } catch (RuntimeException e) {
                LOG.warn("status unavailable for {}", path, e);
                respond(out, 500, "Internal Server Error", "text/plain", "status unavailable\n", head);
                return true;
            }
            if (path.equals("/status")) {
                respond(out, 200, "OK", "application/json", JSON.writeValueAsString(s.values()) + "\n", head);
            } else {
                respond(out, 200, "OK", PrometheusText.CONTENT_TYPE, PrometheusText.render(s), head);
            }
        }
        return true;
    }

    private static void respond(OutputStream out, int code, String reason, String type, String body, boolean head) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 " + code + " " + reason + "\r\n"
                + "Content-Type: " + (type.contains("charset") ? type : type + "; charset=utf-8") + "\r\n"
                + (code == 405 ? "Allow: GET, HEAD\r\n" : "")
                + "Content-Length: " + b.length + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        if (!head) {
            out.write(b);
        }
        out.flush();
    }
}
