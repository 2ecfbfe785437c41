package io.tagalong.bootstrap;

/** A case-insensitive glob: {@code *} matches any run of characters, {@code ?} one. Matching allocates nothing. */
final class Glob {
    final String pattern;

    Glob(String pattern) {
        this.pattern = pattern;
    }

    /** The pattern up to its first wildcard: every name it matches starts with this. */
    String literalStart() {
        int end = 0;
        while (end < pattern.length() && pattern.charAt(end) != '*' && pattern.charAt(end) != '?') end++;
        return pattern.substring(0, end);
    }

    boolean matches(String s) {
        return matches(s, 0, s.length());
    }

    /** Matches the region [from, to) of {@code s}. */
    boolean matches(String s, int from, int to) {
        int p = 0, i = from, starP = -1, starI = -1;
        int plen = pattern.length();
        while (i < to) {
            if (p < plen && pattern.charAt(p) == '*') {
                starP = p++;
                starI = i;
            } else if (p < plen && (pattern.charAt(p) == '?' || sameIgnoringCase(pattern.charAt(p), s.charAt(i)))) {
                p++;
                i++;
            } else if (starP >= 0) {
                p = starP + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (p < plen && pattern.charAt(p) == '*') p++;
        return p == plen;
    }

    private static boolean sameIgnoringCase(char a, char b) {
        return a == b || Character.toLowerCase(a) == Character.toLowerCase(b);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
