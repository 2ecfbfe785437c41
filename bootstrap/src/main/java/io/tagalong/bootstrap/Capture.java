package io.tagalong.bootstrap;

/**
 * The thread-bound header sources as they were where a request was built: taken on the program's thread and
 * carried with the request to wherever it is sent. Immutable; holds values, never the thread.
 */
public final class Capture {
    static final Capture EMPTY = new Capture(HeaderSet.EMPTY, new ContextSource[0], new Object[0]);

    final HeaderSet scoped;
    final ContextSource[] sources;
    final Object[] values;

    Capture(HeaderSet scoped, ContextSource[] sources, Object[] values) {
        this.scoped = scoped;
        this.sources = sources;
        this.values = values;
    }
}
