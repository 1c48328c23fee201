package io.ferry.status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads the line-based parts of HTTP and RESP; both end lines with CRLF, and a lone LF is tolerated as Redis does. */
final class Lines {
    /** Inline commands and header lines above this are refused (Redis caps inline requests at 64 KiB too). */
    static final int MAX = 64 * 1024;

    private Lines() {}

    /** The next line without its line end, or null at end of stream; a last line without line end counts as cut off. */
    static String read(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return null;
            }
            if (line.size() == MAX) {
                throw new BadRequestException("line longer than " + MAX + " bytes");
            }
            line.write(c);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
