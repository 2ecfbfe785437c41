package io.tagalong.bootstrap;

/**
 * A source of key/value entries bound to the program's thread: OpenTelemetry baggage or the SLF4J MDC, read
 * through a bridge that lives in the program's class loader. Entries become headers only through the
 * {@code tagalong.baggage.*} or {@code tagalong.mdc.*} mapping of its kind.
 */
public interface ContextSource {
    enum Kind { BAGGAGE, MDC }

    Kind kind();

    /** The entries current on this thread as an immutable value, or null when there are none. Never throws. */
    Object capture();

    /** Passes each entry of a value returned by {@link #capture()} to the sink. */
    void forEach(Object captured, EntrySink sink);

    interface EntrySink {
        void accept(String key, String value);
    }
}
