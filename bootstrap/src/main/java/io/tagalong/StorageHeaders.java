package io.tagalong;

import io.tagalong.bootstrap.HeaderPolicy;
import io.tagalong.bootstrap.HeaderSet;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.ScopedHeaders;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Headers for the storage requests made in a block of code.
 *
 * <pre>{@code
 * try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Team", "ml")) {
 *     s3.putObject(...);            // carries X-Team: ml
 * }
 * }</pre>
 *
 * Scopes nest (the inner one wins per header) and close in reverse order. The headers current when a request is
 * built are the ones it carries, whichever thread later writes it. Without the Tagalong agent this class still
 * works and nothing is injected. Entries with a null name or value are ignored; names are compared ignoring
 * case; whether a header may be sent at all is decided when a request is made (see the contract).
 */
public final class StorageHeaders {
    private StorageHeaders() {}

    /** An open scope; close it (try-with-resources) on the thread that opened it. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public static Scope with(String name, String value) {
        return with(Collections.singletonMap(name, value));
    }

    /**
     * Never throws: an entry whose name or value is null or not a String (a raw map, a {@link java.util.Properties})
     * is ignored and logged once (by name, never by value); a map that fails while it is read opens a scope that
     * adds nothing, so try-with-resources still works.
     */
    public static Scope with(Map<String, String> headers) {
        HeaderSet own = HeaderSet.EMPTY;
        try {
            own = collect(headers);
        } catch (Throwable t) {
            failed("the map failed while it was read", t);
        }
        try {
            return ScopedHeaders.open(own);
        } catch (Throwable t) {
            failed("the scope could not be opened", t);
            return NOTHING;
        }
    }

    private static void failed(String what, Throwable t) {
        try {
            Log.warnOnce("scope-failed:" + what + ":" + t.getClass().getName(), "StorageHeaders.with: " + what + " ("
                    + t.getClass().getSimpleName() + "); this scope adds no headers");
        } catch (Throwable ignored) {
            // nothing left to do without throwing into the program
        }
    }

    /** Untyped on purpose: the program's map may hold anything, whatever its declared type says. */
    private static HeaderSet collect(Map<?, ?> headers) {
        if (headers == null) return HeaderSet.EMPTY;
        HeaderSet.Builder b = new HeaderSet.Builder();
        for (Map.Entry<?, ?> e : headers.entrySet()) {
            Object key = e.getKey(), value = e.getValue();
            if (key == null || value == null) {
                Log.warnOnce("scope-null", "StorageHeaders.with: an entry with a null name or value was ignored");
            } else if (!(key instanceof String)) {
                Log.warnOnce("scope-type", "StorageHeaders.with: an entry whose name is not a String was ignored");
            } else if (!(value instanceof String)) {
                String shown = HeaderPolicy.printable((String) key);
                Log.warnOnce("scope-type:" + shown, "StorageHeaders.with: header " + shown + " ignored: its value is not a String");
            } else if (!b.putIfAbsent((String) key, (String) value)) {
                String shown = HeaderPolicy.printable((String) key);
                Log.warnOnce("scope-dup:" + shown, "StorageHeaders.with: header " + shown + " given twice; the first value is kept");
            }
        }
        return b.build();
    }

    /** The headers in effect on this thread, innermost scope winning; an unmodifiable snapshot. */
    public static Map<String, String> current() {
        return ScopedHeaders.current().toMap();
    }

    /** A runnable that runs with the headers current now, on whatever thread runs it. */
    public static Runnable wrap(Runnable runnable) {
        return new WithHeaders<Object>(ScopedHeaders.current(), runnable, null);
    }

    /** A callable that runs with the headers current now, on whatever thread runs it. */
    public static <T> Callable<T> wrap(Callable<T> callable) {
        return new WithHeaders<T>(ScopedHeaders.current(), null, callable);
    }

    /** The scope returned when none could be opened: closing it does nothing. */
    private static final Scope NOTHING = new Nothing();

    private static final class Nothing implements Scope {
        @Override
        public void close() {}
    }

    // Named classes, not lambdas: bootstrap code may run while the JDK's own lambda machinery initialises.
    private static final class WithHeaders<T> implements Runnable, Callable<T> {
        private final HeaderSet captured;
        private final Runnable runnable;
        private final Callable<T> callable;

        WithHeaders(HeaderSet captured, Runnable runnable, Callable<T> callable) {
            this.captured = captured;
            this.runnable = runnable;
            this.callable = callable;
        }

        @Override
        public void run() {
            ScopedHeaders.Scope scope = ScopedHeaders.replace(captured);
            try {
                runnable.run();
            } finally {
                scope.close();
            }
        }

        @Override
        public T call() throws Exception {
            ScopedHeaders.Scope scope = ScopedHeaders.replace(captured);
            try {
                return callable.call();
            } finally {
                scope.close();
            }
        }
    }

}
