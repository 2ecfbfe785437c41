package io.tagalong.bootstrap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a W3C baggage header value ({@code key=value;metadata,key2=value2}) within the specification's limits:
 * 64 members, 8192 bytes. Values are percent-decoded once; metadata is ignored; a member that cannot be read
 * is skipped and reported.
 */
final class W3CBaggage {
    static final int MAX_MEMBERS = 64;
    static final int MAX_BYTES = 8192;

    private W3CBaggage() {}

    /** The bytes of a string in UTF-8, without encoding it (an unpaired surrogate counts as the '?' it becomes). */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) n++;
            else n += 3;
        }
        return n;
    }

    /** Key/value pairs in order, as a flat list: key0, value0, key1, value1, ... */
    static List<String> parse(String header, String origin, Config.Problems problems) {
        List<String> out = new ArrayList<>();
        if (header == null) return out;
        if (header.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            problems.add(origin + ": longer than " + MAX_BYTES + " bytes; ignored");
            return out;
        }
        String[] members = header.split(",", -1);
        int n = 0;
        for (String member : members) {
            if (member.trim().isEmpty()) continue;
            if (++n > MAX_MEMBERS) {
                problems.add(origin + ": more than " + MAX_MEMBERS + " members; the rest are ignored");
                break;
            }
            int semi = member.indexOf(';');
            String kv = semi >= 0 ? member.substring(0, semi) : member;
            int eq = kv.indexOf('=');
            String key = eq > 0 ? kv.substring(0, eq).trim() : null;
            String value = eq > 0 ? PercentCodec.decode(kv.substring(eq + 1).trim()) : null;
            if (key == null || !HeaderPolicy.isToken(key) || value == null) {
                problems.add(origin + ": member " + n + " ignored: not key=value with a token key and a percent-encoded value");
                continue;
            }
            out.add(key);
            out.add(value);
        }
        return out;
    }
}
