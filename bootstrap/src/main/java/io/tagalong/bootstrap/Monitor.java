package io.tagalong.bootstrap;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent's one background thread (a daemon): writes the audit file, prints the periodic audit summary, and
 * registers the MBean when a platform MBean server appears. It ends when none of the three is left to do.
 */
final class Monitor implements Runnable {
    private static final long FIRST_JMX_CHECK = TimeUnit.SECONDS.toNanos(1);
    private static final long JMX_CHECK_EVERY = TimeUnit.SECONDS.toNanos(2);

    private final Pipeline pipeline;
    private final Config config;

    private Monitor(Pipeline pipeline, Config config) {
        this.pipeline = pipeline;
        this.config = config;
    }

    static void start(Pipeline pipeline, Config config) {
        Thread thread = new Thread(new Monitor(pipeline, config), "tagalong-monitor");
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        thread.start();
    }

    @Override
    public void run() {
        Audit audit = pipeline.audit;
        long started = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(config.auditInterval);
        boolean summaries = interval > 0 && audit.rules.length > 0;
        long nextSummary = started + interval;
        long nextJmx = started + FIRST_JMX_CHECK;
        boolean registered = false;
        while (true) {
            AuditFile file = audit.file();
            try {
                if (file != null) file.drain();
                long now = System.nanoTime();
                if (summaries && now - nextSummary >= 0) {
                    audit.periodicSummary(config.auditInterval);
                    nextSummary = now + interval;
                }
                if (!registered && now - nextJmx >= 0) {
                    registered = Jmx.registerIfServerExists(pipeline, config);
                    nextJmx = now + JMX_CHECK_EVERY;
                }
            } catch (Throwable t) {
                Log.warnOnce("monitor", "the monitor thread failed (" + t.getClass().getSimpleName() + "); the program goes on");
            }
            if (registered && file == null && !summaries) return;
            LockSupport.parkNanos(file != null ? TimeUnit.MILLISECONDS.toNanos(200) : TimeUnit.SECONDS.toNanos(1));
        }
    }
}
