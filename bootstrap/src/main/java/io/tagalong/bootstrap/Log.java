package io.tagalong.bootstrap;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's only output: lines on stderr that start with {@code [tagalong]}.
 *
 * <p>Kept in bootstrap and dependency-free on purpose: the pipeline runs inside JDK classes on the bootstrap
 * class path, where a logging library would have to be loaded at start-up for a handful of lines. Callers pass
 * names and reasons, never header values.
 */
public final class Log {
    /** Bounds the memory of "once" keys: names may come from baggage, which a remote caller controls. */
    private static final int MAX_ONCE_KEYS = 1024;
    private static final ConcurrentHashMap<String, Boolean> SEEN = new ConcurrentHashMap<>();
    private static final AtomicLong SUPPRESSED = new AtomicLong();

    /** Set once at start from {@code tagalong.debug}; read on every request before building a message. */
    public static volatile boolean debug;

    private Log() {}

    public static void info(String message) {
        print("", message);
    }

    public static void warn(String message) {
        print("WARN ", message);
    }

    public static void debug(String message) {
        if (debug) print("DEBUG ", message);
    }

    /** Logs {@code message} the first time {@code key} is seen; later calls with the same key are silent. */
    public static void warnOnce(String key, String message) {
        if (firstTime(key)) warn(message);
    }

    /** True the first time a key is seen (bounded; past the bound everything counts as seen). */
    public static boolean firstTime(String key) {
        if (SEEN.containsKey(key)) return false;
        if (SEEN.size() >= MAX_ONCE_KEYS) {
            if (SUPPRESSED.getAndIncrement() == 0) warn("too many distinct warnings; further ones are not logged");
            return false;
        }
        return SEEN.putIfAbsent(key, Boolean.TRUE) == null;
    }

    private static void print(String level, String message) {
        PrintStream err = System.err;
        if (err != null) err.println("[tagalong] " + level + message);
    }

    /** For tests: forget which keys were seen. */
    static void reset() {
        SEEN.clear();
        SUPPRESSED.set(0);
    }
}
