package io.tagalong.bootstrap;

/** STUB: replaced by the real logger. */
public final class Log {
    private Log() {}
    public static volatile boolean debug;
    public static void info(String message) { System.err.println("[tagalong] " + message); }
    public static void warn(String message) { System.err.println("[tagalong] WARN " + message); }
    public static void warnOnce(String key, String message) { warn(message); }
    public static void debug(String message) { if (debug) System.err.println("[tagalong] DEBUG " + message); }
}
