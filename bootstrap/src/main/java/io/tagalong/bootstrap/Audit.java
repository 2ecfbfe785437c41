package io.tagalong.bootstrap;

import java.util.List;

/**
 * {@code tagalong.required} and {@code tagalong.audit.*}: rules a storage request must pass once its headers are
 * set. A rule is a header name, or a glob of which at least one header must match. A miss is counted (per
 * instrumentation and rule), logged once per host and rule, summed up every {@code tagalong.audit.interval} seconds
 * while misses occur and at exit, and written as a JSON line to the audit file when there is one (every storage
 * request is, with {@code tagalong.audit.all}). Names only, never a value.
 *
 * <p>A request is audited once: an SDK layer (AWS SDK, google-http-client) audits what it hands down, after the
 * program's own SDK interceptors and ours; the HTTP client below it, on the same thread, recognises the same
 * method, host, port and path and does not count it again.
 */
final class Audit {
    private static final ThreadLocal<Key> AUDITED_ABOVE = new ThreadLocal<>();

    final String[] rules;
    /** The glob of each rule, or null for an exact name. */
    private final Glob[] globs;
    private final boolean all;
    private final Counters counters;
    private final Config config;
    /** Set by {@link #start} when a file is configured. */
    private volatile AuditFile file;
    /** Misses per rule at the last periodic summary. */
    private long[] summarized;
    private long droppedSummarized;

    Audit(Config config, Counters counters, String[] rules) {
        this.config = config;
        this.rules = rules;
        this.counters = counters;
        this.all = config.auditAll;
        globs = new Glob[rules.length];
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].indexOf('*') >= 0 || rules[i].indexOf('?') >= 0) globs[i] = new Glob(rules[i]);
        }
        summarized = new long[rules.length];
    }

    static String[] rules(List<String> required) {
        return required.toArray(new String[0]);
    }

    boolean active() {
        return rules.length > 0 || all;
    }

    /** The agent's audit: opens the file's writer and prints the counts at exit. Not for the dry run or tests. */
    void start() {
        if (config.auditFile != null) file = new AuditFile(config.auditFile, config.auditMaxBytes);
        if (!active() && file == null) return;
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                @Override
                public void run() {
                    atExit();
                }
            }, "tagalong-audit-exit"));
        } catch (Throwable ignored) {
            // already shutting down
        }
    }

    AuditFile file() {
        return file;
    }

    /**
     * Checks a request whose headers are set. {@code ours}: names Tagalong set or found set by a layer above;
     * {@code kept}: names for which the program's own value was kept. Either may be null (none).
     */
    void check(OutgoingRequest request, Counters.Of counts, NameList ours, NameList kept) {
        if (!active()) return;
        if (counts.aboveHttpClient) {
            AUDITED_ABOVE.set(new Key(request));
        } else {
            Key above = AUDITED_ABOVE.get();
            if (above != null && above.same(request)) {
                AUDITED_ABOVE.set(null);
                return;
            }
        }
        String[] missing = missing(request, ours, kept);
        if (missing != null) {
            String host = request.host + (request.port >= 0 ? ":" + request.port : "");
            for (int i = 0; i < rules.length; i++) {
                if (missing[i] == null) continue;
                counts.misses[i].increment();
                Log.warnOnce("required:" + host + ":" + i, "required header " + (globs[i] != null ? "matching " : "") + rules[i]
                        + " missing on a storage request to " + host + " (" + request.method + "); further misses on this host"
                        + " are counted, not logged");
            }
        }
        AuditFile f = file;
        if (f != null && (missing != null || all)) {
            f.add(new AuditFile.Line(request, counts, missing, ours, kept), counts);
        }
    }

    /** The rules this request misses, at their positions (null elsewhere), or null when it passes them all. */
    String[] missing(OutgoingRequest request, NameList ours, NameList kept) {
        String[] missing = null;
        for (int i = 0; i < rules.length; i++) {
            // A name Tagalong set is there: asking the client (a reflective call for some) is only for the others.
            boolean present = globs[i] == null ? ours != null && ours.indexOf(rules[i]) >= 0 || request.header(rules[i]) != null
                    : anyMatches(globs[i], request, ours, kept);
            if (present) continue;
            if (missing == null) missing = new String[rules.length];
            missing[i] = rules[i];
        }
        return missing;
    }

    /** The names known without asking the client first; the client's own list only when they do not match. */
    private static boolean anyMatches(Glob glob, OutgoingRequest request, NameList ours, NameList kept) {
        if (ours != null) for (int i = 0; i < ours.size(); i++) if (glob.matches(ours.get(i))) return true;
        if (kept != null) for (int i = 0; i < kept.size(); i++) if (glob.matches(kept.get(i))) return true;
        Iterable<String> names = request.headerNames();
        if (names != null) for (String name : names) if (name != null && glob.matches(name)) return true;
        return false;
    }

    /** Called every interval by the monitor: one line when rules were missed (or lines dropped) since the last. */
    void periodicSummary(long seconds) {
        StringBuilder sb = null;
        for (int i = 0; i < rules.length; i++) {
            long n = counters.misses(i);
            long recent = n - summarized[i];
            summarized[i] = n;
            if (recent == 0) continue;
            sb = sb == null ? new StringBuilder("audit, last " + seconds + " s: ") : sb.append(", ");
            sb.append(rules[i]).append(" missing on ").append(recent).append(" storage request").append(recent == 1 ? "" : "s");
        }
        long dropped = counters.dropped();
        long recentDropped = dropped - droppedSummarized;
        droppedSummarized = dropped;
        if (recentDropped > 0) {
            sb = sb == null ? new StringBuilder("audit, last " + seconds + " s: ") : sb.append("; ");
            sb.append(recentDropped).append(" audit line").append(recentDropped == 1 ? "" : "s").append(" dropped");
        }
        if (sb != null) Log.warn(sb.toString());
    }

    /** At exit: every queued line into the file, then the counts. */
    void atExit() {
        AuditFile f = file;
        if (f != null) f.close();
        for (int i = 0; i < rules.length; i++) {
            long n = counters.misses(i);
            if (n > 0) Log.warn("required header " + rules[i] + " was missing on " + n + " storage request" + (n == 1 ? "" : "s"));
        }
        long dropped = counters.dropped();
        if (dropped > 0) {
            Log.warn("audit: " + dropped + " line" + (dropped == 1 ? "" : "s") + " could not be written to the audit file"
                    + " (queue full or file not writable)");
        }
    }

    /** Which request an SDK layer audited, to know it again in the HTTP client below. */
    private static final class Key {
        final String method, host, path;
        final int port;

        Key(OutgoingRequest r) {
            method = r.method;
            host = r.host;
            port = r.port >= 0 ? r.port : Targets.defaultPort(r.scheme);
            path = OutgoingRequest.slashed(r.path);
        }

        boolean same(OutgoingRequest r) {
            return (r.port >= 0 ? r.port : Targets.defaultPort(r.scheme)) == port && sameIgnoringCase(method, r.method)
                    && sameIgnoringCase(host, r.host) && path.equals(OutgoingRequest.slashed(r.path));
        }

        private static boolean sameIgnoringCase(String a, String b) {
            return a == null ? b == null : a.equalsIgnoreCase(b);
        }
    }
}
