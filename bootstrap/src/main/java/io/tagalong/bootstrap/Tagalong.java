package io.tagalong.bootstrap;

/** STUB: the process-wide pipeline holder. */
public final class Tagalong {
    private Tagalong() {}
    /** Builds the pipeline from the configuration and makes it current. Never throws. */
    public static void start(Config config) {}
    public static String version() { return "0.1.0-SNAPSHOT"; }
}
