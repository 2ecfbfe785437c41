package io.tagalong.bootstrap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An immutable, ordered set of headers whose names are unique ignoring case. Small: looked up linearly. */
public final class HeaderSet {
    public static final HeaderSet EMPTY = new HeaderSet(new String[0], new String[0]);

    final String[] names;
    final String[] values;

    private HeaderSet(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value for a name, ignoring case, or null. */
    public String get(String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equalsIgnoreCase(name)) return values[i];
        return null;
    }

    /** This set with {@code inner} laid over it: inner wins per name; order is this set's, then inner's new names. */
    public HeaderSet with(HeaderSet inner) {
        if (inner.names.length == 0) return this;
        if (names.length == 0) return inner;
        Builder b = new Builder();
        for (int i = 0; i < names.length; i++) {
            String v = inner.get(names[i]);
            b.putIfAbsent(names[i], v != null ? v : values[i]);
        }
        for (int i = 0; i < inner.names.length; i++) b.putIfAbsent(inner.names[i], inner.values[i]);
        return b.build();
    }

    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) m.put(names[i], values[i]);
        return Collections.unmodifiableMap(m);
    }

    /** Collects headers; the first value given for a name (ignoring case) is kept. */
    public static final class Builder {
        private final java.util.ArrayList<String> names = new java.util.ArrayList<>();
        private final java.util.ArrayList<String> values = new java.util.ArrayList<>();

        public boolean putIfAbsent(String name, String value) {
            for (String n : names) if (n.equalsIgnoreCase(name)) return false;
            names.add(name);
            values.add(value);
            return true;
        }

        public HeaderSet build() {
            if (names.isEmpty()) return EMPTY;
            return new HeaderSet(names.toArray(new String[0]), values.toArray(new String[0]));
        }
    }
}
