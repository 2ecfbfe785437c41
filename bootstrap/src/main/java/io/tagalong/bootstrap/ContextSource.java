package io.tagalong.bootstrap;

/**
 * A source of key/value entries bound to the program's thread: OpenTelemetry baggage or the SLF4J MDC, read
 * through a bridge that lives in the program's class loader. Entries become headers only through the
 * {@code tagalong.baggage.*} or {@code tagalong.mdc.*} mapping of its kind. HOLDER entries (the program's own copy
 * of the context holder, see {@link HolderCopies}) are header names and values already.
 */
public interface ContextSource {
    /** In precedence order. */
    enum Kind { HOLDER, BAGGAGE, MDC }

    Kind kind();

    /** The entries current on this thread as an immutable value, or null when there are none. Never throws. */
    Object capture();

    /** Passes each entry of a value returned by {@link #capture()} to the sink. */
    void forEach(Object captured, EntrySink sink);

    interface EntrySink {
        void accept(String key, String value);
    }
}
