package io.tagalong.bootstrap;

import java.util.Arrays;

/**
 * Header names, unique ignoring case ({@link String#equalsIgnoreCase}), in the order added. A few are scanned
 * linearly, allocating nothing more; past {@link #SCAN_MAX} an open-addressing table of positions finds a name in
 * constant time, so merging large sets stays linear.
 */
final class NameList {
    /** Up to this many names a lookup scans them all; the common case (a handful of headers) needs no table. */
    static final int SCAN_MAX = 12;

    private String[] names;
    private int size;
    /** Position + 1 of a name per slot, 0 for a free slot; null while size <= SCAN_MAX. Power-of-two length. */
    private int[] slots;

    NameList(int capacity) {
        names = new String[Math.max(capacity, 1)];
    }

    private NameList(String[] names, int size, int[] slots) {
        this.names = names;
        this.size = size;
        this.slots = slots;
    }

    int size() {
        return size;
    }

    String get(int i) {
        return names[i];
    }

    /** The position of the name, ignoring case, or -1. */
    int indexOf(String name) {
        if (slots == null) {
            for (int i = 0; i < size; i++) if (names[i].equalsIgnoreCase(name)) return i;
            return -1;
        }
        int mask = slots.length - 1;
        for (int s = hash(name) & mask; slots[s] != 0; s = (s + 1) & mask) {
            int i = slots[s] - 1;
            if (names[i].equalsIgnoreCase(name)) return i;
        }
        return -1;
    }

    /** Adds the name at the end unless it is here already (ignoring case); false when it was. */
    boolean add(String name) {
        if (indexOf(name) >= 0) return false;
        if (size == names.length) names = Arrays.copyOf(names, size * 2);
        names[size++] = name;
        if (slots != null && size * 2 <= slots.length) insert(slots, size - 1);
        else if (size > SCAN_MAX) rehash();
        return true;
    }

    /** An independent copy holding exactly the names (for an immutable set). */
    NameList copy() {
        return new NameList(Arrays.copyOf(names, size), size, slots == null ? null : slots.clone());
    }

    private void rehash() {
        int capacity = Integer.highestOneBit(size * 4 - 1); // a power of two in [2 * size, 4 * size)
        int[] table = new int[capacity];
        for (int i = 0; i < size; i++) insert(table, i);
        slots = table;
    }

    private void insert(int[] table, int i) {
        int mask = table.length - 1;
        int s = hash(names[i]) & mask;
        while (table[s] != 0) s = (s + 1) & mask;
        table[s] = i + 1;
    }

    /**
     * Equal for names that are equal ignoring case: each code point is folded as equalsIgnoreCase compares it
     * (upper case, then lower case; JDKs that compare surrogate pairs as code points are covered too).
     */
    static int hash(String name) {
        int h = 0;
        for (int i = 0; i < name.length(); ) {
            int c = name.charAt(i);
            if (c < 0x80) {
                if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
                i++;
            } else {
                c = name.codePointAt(i);
                i += Character.charCount(c);
                c = Character.toLowerCase(Character.toUpperCase(c));
            }
            h = 31 * h + c;
        }
        return h ^ (h >>> 16);
    }
}
