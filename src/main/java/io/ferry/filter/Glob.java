package io.ferry.filter;

/**
 * Redis-style glob matching on bytes ({@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]},
 * {@code \x}), the same rules as KEYS and SCAN MATCH, so operators can reuse their patterns.
 */
public final class Glob {
    private final byte[] p;

    public Glob(byte[] pattern) {
        this.p = pattern;
    }

    /** The pattern as given. */
    public byte[] pattern() {
        return p.clone();
    }

    public boolean matches(byte[] s) {
        return match(p, 0, s, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si) {
        while (pi < p.length) {
            byte c = p[pi];
            switch (c) {
                case '*':
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k)) {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (si >= s.length) {
                        return false;
                    }
                    si++;
                    pi++;
                    break;
                case '[': {
                    if (si >= s.length) {
                        return false;
                    }
                    int end = classEnd(p, pi);
                    if (end < 0) { // unterminated class: treat '[' literally
                        if (s[si] != '[') {
                            return false;
                        }
                        si++;
                        pi++;
                        break;
                    }
                    if (!inClass(p, pi + 1, end, s[si] & 0xff)) {
                        return false;
                    }
                    si++;
                    pi = end + 1;
                    break;
                }
                case '\\':
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    // fall through: literal
                default:
                    if (si >= s.length || s[si] != p[pi]) {
                        return false;
                    }
                    si++;
                    pi++;
            }
        }
        return si == s.length;
    }

    private static int classEnd(byte[] p, int open) {
        int i = open + 1;
        if (i < p.length && p[i] == '^') {
            i++;
        }
        while (i < p.length) {
            if (p[i] == '\\' && i + 1 < p.length) {
                i += 2;
                continue;
            }
            if (p[i] == ']') {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static boolean inClass(byte[] p, int from, int end, int c) {
        boolean not = p[from] == '^';
        int i = not ? from + 1 : from;
        boolean hit = false;
        while (i < end) {
            if (p[i] == '\\' && i + 1 < end) {
                hit |= (p[i + 1] & 0xff) == c;
                i += 2;
            } else if (i + 2 < end && p[i + 1] == '-') {
                int lo = p[i] & 0xff;
                int hi = p[i + 2] & 0xff;
                if (lo > hi) {
                    int t = lo;
                    lo = hi;
                    hi = t;
                }
                hit |= c >= lo && c <= hi;
                i += 3;
            } else {
                hit |= (p[i] & 0xff) == c;
                i++;
            }
        }
        return not != hit;
    }
}
