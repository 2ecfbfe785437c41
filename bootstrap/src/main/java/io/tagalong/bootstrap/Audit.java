package io.tagalong.bootstrap;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code tagalong.required}: a storage request that leaves without one of these headers is reported, once per
 * host and header name, and counted; the counts are printed when the JVM exits.
 */
final class Audit {
    private final String[] required;
    private final AtomicLongArray missing;

    Audit(List<String> required) {
        this.required = required.toArray(new String[0]);
        // Only when something is required: AtomicLongArray initialises VarHandles, ~1 ms of every start otherwise.
        this.missing = this.required.length == 0 ? null : new AtomicLongArray(this.required.length);
        if (this.required.length > 0) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                    @Override
                    public void run() {
                        summarize();
                    }
                }, "tagalong-audit-summary"));
            } catch (Throwable ignored) {
                // already shutting down
            }
        }
    }

    void check(OutgoingRequest request) {
        for (int i = 0; i < required.length; i++) {
            if (request.header(required[i]) != null) continue;
            missing.incrementAndGet(i);
            String host = request.host + (request.port >= 0 ? ":" + request.port : "");
            Log.warnOnce("required:" + host + ":" + i, "required header " + required[i] + " missing on a storage request to "
                    + host + " (" + request.method + "); further misses on this host are counted, not logged");
        }
    }

    void summarize() {
        for (int i = 0; i < required.length; i++) {
            long n = missing.get(i);
            if (n > 0) Log.warn("required header " + required[i] + " was missing on " + n + " storage request" + (n == 1 ? "" : "s"));
        }
    }
}
