package io.ferry.source.aof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Redis 7 multi-part AOF manifest: lines of {@code key value} pairs such as
 * {@code file appendonly.aof.1.base.rdb seq 1 type b}, one file each: type {@code b} the base (an
 * RDB or AOF), {@code i} an incremental AOF, {@code h} history (left over from a rewrite, not part
 * of the data). Values are quoted as Redis quotes them ({@code "a b"}, {@code \x..} escapes) when
 * they need it; {@code #} starts a comment line.
 */
public record AofManifest(Part base, List<Part> incrementals) {
    /** One file of the manifest; {@code file} is relative to the manifest's directory. */
    public record Part(String file, long seq, char type) {}

    /** The files to read in order: the base (when there is one), then the incrementals by seq. */
    public List<Part> parts() {
        List<Part> all = new ArrayList<>();
        if (base != null) {
            all.add(base);
        }
        all.addAll(incrementals);
        return all;
    }

    public static AofManifest read(Path manifest) throws IOException {
        return parse(new String(Files.readAllBytes(manifest), StandardCharsets.ISO_8859_1), manifest.toString());
    }

    /** Parses manifest text; {@code name} names it in error messages. */
    public static AofManifest parse(String text, String name) throws AofFormatException {
        Part base = null;
        List<Part> incr = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        long offset = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].endsWith("\r") ? lines[n].substring(0, lines[n].length() - 1) : lines[n];
            long at = offset;
            offset += lines[n].length() + 1;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = name + " line " + (n + 1);
            List<String> words = split(line, where, at);
            if (words.size() % 2 != 0) {
                throw new AofFormatException(where + ": expected key value pairs (file NAME seq N type b|i|h), got '" + line + "'", at);
            }
            Map<String, String> kv = new HashMap<>();
            for (int i = 0; i < words.size(); i += 2) {
                kv.put(words.get(i), words.get(i + 1)); // unknown keys are allowed: a newer Redis may add some
            }
            String file = kv.get("file");
            String seq = kv.get("seq");
            String type = kv.get("type");
            if (file == null || seq == null || type == null || file.isEmpty()) {
                throw new AofFormatException(where + ": a file line needs file, seq and type, got '" + line + "'", at);
            }
            long s;
            try {
                s = Long.parseLong(seq);
            } catch (NumberFormatException e) {
                throw new AofFormatException(where + ": seq '" + seq + "' is not a number", at);
            }
            if (type.length() != 1 || "bih".indexOf(type.charAt(0)) < 0) {
                throw new AofFormatException(where + ": unknown file type '" + type + "' (b, i or h expected)", at);
            }
            Part p = new Part(file, s, type.charAt(0));
            switch (p.type()) {
                case 'b' -> {
                    if (base != null) {
                        throw new AofFormatException(where + ": a second base file (" + file + " after " + base.file() + ")", at);
                    }
                    base = p;
                }
                case 'i' -> incr.add(p);
                default -> { } // history: already folded into the base by a rewrite
            }
        }
        incr.sort(Comparator.comparingLong(Part::seq));
        for (int i = 1; i < incr.size(); i++) {
            if (incr.get(i).seq() == incr.get(i - 1).seq()) {
                throw new AofFormatException(name + ": two incremental files with seq " + incr.get(i).seq(), 0);
            }
        }
        if (base == null && incr.isEmpty()) {
            throw new AofFormatException(name + ": lists no base or incremental file", 0);
        }
        return new AofManifest(base, List.copyOf(incr));
    }

    /** Splits a line into words the way Redis writes them: bare, "double quoted" or 'single quoted'. */
    private static List<String> split(String line, String where, long at) throws AofFormatException {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i == line.length()) {
                return words;
            }
            StringBuilder w = new StringBuilder();
            char q = line.charAt(i);
            if (q == '"' || q == '\'') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new AofFormatException(where + ": unbalanced quotes", at);
                    }
                    char c = line.charAt(i++);
                    if (c == q) {
                        break;
                    }
                    if (c == '\\' && i < line.length()) {
                        i = unescape(line, i, q, w);
                    } else {
                        w.append(c);
                    }
                }
                if (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
                    throw new AofFormatException(where + ": a closing quote must be followed by a space", at);
                }
            } else {
                while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
                    w.append(line.charAt(i++));
                }
            }
            words.add(w.toString());
        }
    }

    /** Appends the escape at {@code line[i]} (after a backslash) and returns the index after it. */
    private static int unescape(String line, int i, char quote, StringBuilder w) {
        char c = line.charAt(i);
        if (quote == '\'') { // single quotes know only \'
            w.append(c == '\'' ? "'" : "\\" + c);
            return i + 1;
        }
        if (c == 'x' && i + 2 < line.length() && hex(line.charAt(i + 1)) >= 0 && hex(line.charAt(i + 2)) >= 0) {
            w.append((char) (hex(line.charAt(i + 1)) * 16 + hex(line.charAt(i + 2))));
            return i + 3;
        }
        w.append(switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> (char) 7;
            default -> c;
        });
        return i + 1;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
