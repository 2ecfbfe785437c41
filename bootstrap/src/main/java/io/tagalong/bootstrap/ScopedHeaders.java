package io.tagalong.bootstrap;

/**
 * The state behind {@link io.tagalong.StorageHeaders}: per thread, a stack of open scopes, each holding the
 * immutable headers in effect while it is open (its own laid over its parent's).
 *
 * <p>Scopes close in any order: a closed scope leaves the stack when every scope opened after it has closed,
 * so closing out of order never leaves a thread with headers after its last scope closes. Captured
 * {@link HeaderSet}s are values, unaffected by later closes: a request built inside a scope keeps its headers
 * even when written after the scope closed.
 */
public final class ScopedHeaders {
    private static final ThreadLocal<Scope> TOP = new ThreadLocal<>();
    /**
     * False until the first scope opens anywhere: until then {@link #current()} is one volatile read, not a
     * thread-local lookup. It runs for every task forked and every request, most of them in programs that never
     * open a scope (headers from configuration, baggage or MDC only).
     */
    private static volatile boolean used;

    private ScopedHeaders() {}

    /** The headers in effect on this thread now; EMPTY when none. Allocates nothing. */
    public static HeaderSet current() {
        if (!used) return HeaderSet.EMPTY;
        Scope top = TOP.get();
        return top == null ? HeaderSet.EMPTY : top.headers;
    }

    /** Opens a scope whose headers are {@code own} laid over the current ones. */
    public static Scope open(HeaderSet own) {
        return push(current().with(own));
    }

    /** Opens a scope whose headers are exactly {@code headers}, whatever is current (used by wrap). */
    public static Scope replace(HeaderSet headers) {
        return push(headers);
    }

    private static Scope push(HeaderSet headers) {
        if (!used) used = true;
        Scope scope = new Scope(TOP.get(), headers, Thread.currentThread());
        TOP.set(scope);
        return scope;
    }

    /** One open scope. Closing it twice is harmless. */
    public static final class Scope implements io.tagalong.StorageHeaders.Scope {
        private final Scope below;
        final HeaderSet headers;
        private final Thread owner;
        private boolean closed;

        private Scope(Scope below, HeaderSet headers, Thread owner) {
            this.below = below;
            this.headers = headers;
            this.owner = owner;
        }

        /** Opened on this thread and not closed yet. */
        public boolean isOpenOnThisThread() {
            return !closed && Thread.currentThread() == owner;
        }

        @Override
        public void close() {
            if (closed) return;
            if (Thread.currentThread() != owner) {
                Log.warnOnce("scope-thread", "a StorageHeaders scope was closed on another thread than the one that opened it; ignored");
                return;
            }
            closed = true;
            Scope top = TOP.get();
            if (top != this) {
                Log.warnOnce("scope-order", "StorageHeaders scopes were closed out of order; the headers stay until the inner scopes close");
            }
            while (top != null && top.closed) top = top.below;
            if (top == null) TOP.remove();
            else TOP.set(top);
        }
    }
}
