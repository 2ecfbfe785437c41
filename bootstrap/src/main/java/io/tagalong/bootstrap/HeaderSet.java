package io.tagalong.bootstrap;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable, ordered set of headers whose names are unique ignoring case. A small one is looked up linearly;
 * a large one through an index (see {@link NameList}), so laying sets over each other stays linear.
 */
public final class HeaderSet {
    public static final HeaderSet EMPTY = new HeaderSet(new NameList(0), new String[0]);

    private final NameList names;
    private final String[] values;

    private HeaderSet(NameList names, String[] values) {
        this.names = names;
        this.values = values;
    }

    public int size() {
        return values.length;
    }

    public String name(int i) {
        return names.get(i);
    }

    public String value(int i) {
        return values[i];
    }

    /** The position of a name, ignoring case, or -1. */
    int indexOf(String name) {
        return names.indexOf(name);
    }

    /** The value for a name, ignoring case, or null. */
    public String get(String name) {
        int i = names.indexOf(name);
        return i < 0 ? null : values[i];
    }

    /** This set with {@code inner} laid over it: inner wins per name; order is this set's, then inner's new names. */
    public HeaderSet with(HeaderSet inner) {
        if (inner.size() == 0) return this;
        if (size() == 0) return inner;
        Builder b = new Builder(size() + inner.size());
        for (int i = 0; i < size(); i++) {
            String v = inner.get(names.get(i));
            b.putIfAbsent(names.get(i), v != null ? v : values[i]);
        }
        for (int i = 0; i < inner.size(); i++) b.putIfAbsent(inner.names.get(i), inner.values[i]);
        return b.build();
    }

    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) m.put(names.get(i), values[i]);
        return Collections.unmodifiableMap(m);
    }

    /** Collects headers; the first value given for a name (ignoring case) is kept. */
    public static final class Builder {
        private final NameList names;
        private String[] values;

        public Builder() {
            this(4);
        }

        Builder(int capacity) {
            names = new NameList(capacity);
            values = new String[Math.max(capacity, 1)];
        }

        public boolean putIfAbsent(String name, String value) {
            if (!names.add(name)) return false;
            int i = names.size() - 1;
            if (i == values.length) values = Arrays.copyOf(values, i * 2);
            values[i] = value;
            return true;
        }

        public HeaderSet build() {
            if (names.size() == 0) return EMPTY;
            return new HeaderSet(names.copy(), Arrays.copyOf(values, names.size()));
        }
    }
}
