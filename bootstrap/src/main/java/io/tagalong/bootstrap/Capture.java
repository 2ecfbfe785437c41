package io.tagalong.bootstrap;

/**
 * The thread-bound header sources as they were where a request was built: taken on the program's thread and
 * carried with the request to wherever it is sent. Immutable; holds values, never the thread.
 */
public final class Capture {
    static final Capture EMPTY = new Capture(HeaderSet.EMPTY, new ContextSource[0], null);

    final HeaderSet scoped;
    final ContextSource[] sources;
    /** What each source held, by index into sources; null when none held anything. */
    final Object[] values;

    Capture(HeaderSet scoped, ContextSource[] sources, Object[] values) {
        this.scoped = scoped;
        this.sources = sources;
        this.values = values;
    }

    /** Nothing thread-bound: only the fixed headers apply. */
    boolean isEmpty() {
        return scoped.size() == 0 && values == null;
    }
}
