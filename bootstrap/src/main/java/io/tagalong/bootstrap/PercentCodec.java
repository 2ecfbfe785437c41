package io.tagalong.bootstrap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Percent-decoding as W3C baggage and OTEL_RESOURCE_ATTRIBUTES use it: %XX bytes, UTF-8, '+' kept as is. */
final class PercentCodec {
    private PercentCodec() {}

    /** The decoded text, or null when a % is not followed by two hex digits. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '%') {
                if (i + 2 >= s.length()) return null;
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                out.write(hi * 16 + lo);
                i += 3;
            } else {
                int next = s.indexOf('%', i);
                if (next < 0) next = s.length();
                byte[] plain = s.substring(i, next).getBytes(StandardCharsets.UTF_8);
                out.write(plain, 0, plain.length);
                i = next;
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
}
