package io.tagalong.bootstrap;

import java.io.InputStream;
import java.util.Properties;

/** The process-wide pipeline. Until the agent starts it there is none, and every hook does nothing. */
public final class Tagalong {
    private static volatile Pipeline pipeline;

    private Tagalong() {}

    /** Builds the pipeline from the configuration, reports what could not be read, and makes it current. */
    public static void start(Config config) {
        Log.debug = config.debug();
        for (String problem : config.problems()) Log.warn("configuration: " + problem);
        for (String note : config.notes()) Log.warn("configuration: " + note);
        Pipeline started = new Pipeline(config);
        started.audit.start();
        pipeline = started;
        try {
            Monitor.start(started, config);
        } catch (Throwable t) {
            Log.warn("the monitor thread could not start (" + t.getClass().getSimpleName() + "): no audit file, summaries or MBean");
        }
    }

    /** The pipeline, or null when the agent has not started. */
    public static Pipeline pipeline() {
        return pipeline;
    }

    public static String version() {
        try (InputStream in = Tagalong.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }
}
