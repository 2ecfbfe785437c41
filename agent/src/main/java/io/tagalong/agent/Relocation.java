package io.tagalong.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A relocated (shaded) copy of a supported library, as drivers and connectors carry them: every class of the library
 * renamed to {@code prefix} + its internal name ({@code com/google/cloud/hadoop/repackaged/gcs/com/google/api/client/})
 * or {@code prefix} + its internal name without the first segment ({@code net/snowflake/client/jdbc/internal/amazonaws/},
 * the {@code com/} dropped). Maps the names an instrumentation uses to the copy's: the patches' classes and
 * descriptors, and the helper classes' bytes, defined as {@code prefix + io/tagalong/helpers/...} next to the copy
 * (so a class loader may hold the original's helpers and a copy's).
 */
final class Relocation {
    /** First segments that relocations drop ({@code org/apache/http/} to {@code x/internal/apache/http/}). */
    private static final String[] DROPPABLE = {"com/", "org/", "net/", "io/"};
    private static final String HELPERS = "io/tagalong/helpers/";

    final String instrumentation;
    final String prefix;
    private final boolean firstSegmentDropped;
    /** Pairs of what to replace and by what, slashed and dotted forms: the library's roots, then the helpers. */
    private final String[] from;
    private final String[] to;

    private Relocation(String instrumentation, String prefix, boolean firstSegmentDropped, String[] roots) {
        this.instrumentation = instrumentation;
        this.prefix = prefix;
        this.firstSegmentDropped = firstSegmentDropped;
        from = new String[2 * roots.length + 2];
        to = new String[from.length];
        for (int i = 0; i <= roots.length; i++) {
            String original = i < roots.length ? roots[i] : HELPERS;
            String relocated = i < roots.length ? relocate(original) : prefix + HELPERS;
            from[2 * i] = original;
            to[2 * i] = relocated;
            from[2 * i + 1] = original.replace('/', '.');
            to[2 * i + 1] = relocated.replace('/', '.');
        }
    }

    private String relocate(String root) {
        return prefix + (firstSegmentDropped ? root.substring(root.indexOf('/') + 1) : root);
    }

    /**
     * The relocation that turns {@code original} (an internal name under one of {@code roots}) into {@code className},
     * or null when {@code className} is not a copy of it.
     */
    static Relocation find(String instrumentation, String className, String original, String[] roots) {
        if (className.equals(original)) return null;
        int prefixLength = className.length() - original.length();
        if (prefixLength > 0 && className.endsWith(original) && className.charAt(prefixLength - 1) == '/') {
            return new Relocation(instrumentation, className.substring(0, prefixLength), false, roots);
        }
        for (String first : DROPPABLE) {
            if (!original.startsWith(first)) continue;
            int dropped = prefixLength + first.length();
            if (dropped > 0 && className.regionMatches(dropped, original, first.length(), original.length() - first.length())
                    && className.charAt(dropped - 1) == '/') {
                return new Relocation(instrumentation, className.substring(0, dropped), true, roots);
            }
        }
        return null;
    }

    /** Identifies the copy: one set of patches and helpers per instrumentation and copy. */
    String key() {
        return instrumentation + " " + prefix + (firstSegmentDropped ? " -1" : "");
    }

    /** What the log, the self-check and the MBean call this copy. */
    @Override
    public String toString() {
        return instrumentation + " relocated under " + prefix
                + (firstSegmentDropped ? " (first package segment dropped)" : "");
    }

    /** {@code s} with every library and helper name in it (slashed or dotted) replaced by the copy's, in one pass. */
    String map(String s) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < s.length(); i++) {
            for (int k = 0; k < from.length; k++) {
                if (s.startsWith(from[k], i)) {
                    if (out == null) out = new StringBuilder(s.length() + 64);
                    out.append(s, copied, i).append(to[k]);
                    i += from[k].length() - 1;
                    copied = i + 1;
                    break;
                }
            }
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    /**
     * A helper class file with every name mapped: only the constant pool's UTF-8 entries change (class names,
     * descriptors, signatures, string constants), so every index in the rest of the file stays valid.
     */
    byte[] mapClass(byte[] classfile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(classfile.length + 1024);
        out.write(classfile, 0, 10);
        int count = u2(classfile, 8);
        int at = 10;
        for (int i = 1; i < count; i++) {
            int tag = classfile[at] & 0xFF;
            int size;
            switch (tag) {
                case 1:
                    int length = u2(classfile, at + 1);
                    byte[] mapped = latin1(map(latin1(classfile, at + 3, length)));
                    out.write(1);
                    out.write(mapped.length >>> 8);
                    out.write(mapped.length);
                    out.write(mapped, 0, mapped.length);
                    at += 3 + length;
                    continue;
                case 5: case 6: size = 9; i++; break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: size = 5; break;
                case 7: case 8: case 16: case 19: case 20: size = 3; break;
                case 15: size = 4; break;
                default: throw new IllegalArgumentException("constant pool tag " + tag);
            }
            out.write(classfile, at, size);
            at += size;
        }
        out.write(classfile, at, classfile.length - at);
        return out.toByteArray();
    }

    private static int u2(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    // Modified UTF-8 read byte for byte: the names replaced are ASCII, and bytes of a multi-byte character are >= 0x80.
    private static String latin1(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
