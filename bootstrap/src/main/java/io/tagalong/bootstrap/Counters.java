package io.tagalong.bootstrap;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the pipeline did, per instrumentation: read by the MBean {@code io.tagalong:type=Agent} and the audit's
 * summaries. Striped {@link Count}s, so that threads counting at once do not contend; created at an instrumentation's first
 * storage request, so a JVM that makes none pays nothing.
 */
final class Counters {
    /** Refusal reasons are fixed texts; the bound only guards against a reason that carries a number. */
    private static final int MAX_REASONS = 64;

    private final ConcurrentHashMap<String, Of> byInstrumentation = new ConcurrentHashMap<>();
    private final String[] rules;

    Counters(String[] rules) {
        this.rules = rules;
    }

    Of of(String instrumentation) {
        Of counts = byInstrumentation.get(instrumentation);
        if (counts != null) return counts;
        Of created = new Of(instrumentation, rules.length);
        counts = byInstrumentation.putIfAbsent(instrumentation, created);
        return counts != null ? counts : created;
    }

    /** The counters of one instrumentation. */
    static final class Of {
        final String instrumentation;
        /** An SDK layer: an HTTP client below it may see the same request again. */
        final boolean aboveHttpClient;
        final Count requests = new Count();
        final Count set = new Count();
        final Count kept = new Count();
        final Count dropped = new Count();
        final Count[] misses;
        final ConcurrentHashMap<String, Count> refused = new ConcurrentHashMap<>();

        Of(String instrumentation, int rules) {
            this.instrumentation = instrumentation;
            this.aboveHttpClient = instrumentation.equals("aws-sdk-1") || instrumentation.equals("aws-sdk-2")
                    || instrumentation.equals("google-http-client");
            misses = new Count[rules];
            for (int i = 0; i < rules; i++) misses[i] = new Count();
        }

        void refused(String reason) {
            Count n = refused.get(reason);
            if (n == null) {
                if (refused.size() >= MAX_REASONS) reason = "other";
                Count created = new Count();
                n = refused.putIfAbsent(reason, created);
                if (n == null) n = created;
            }
            n.increment();
        }
    }

    interface Reading {
        long of(Of counts);
    }

    /** One figure per instrumentation that has counted anything, by name. */
    Map<String, Long> each(Reading reading) {
        Map<String, Long> m = new TreeMap<>();
        for (Of counts : byInstrumentation.values()) m.put(counts.instrumentation, reading.of(counts));
        return m;
    }

    Map<String, Long> refused() {
        Map<String, Long> m = new TreeMap<>();
        for (Of counts : byInstrumentation.values()) {
            for (Map.Entry<String, Count> e : counts.refused.entrySet()) {
                m.put(counts.instrumentation + ": " + e.getKey(), e.getValue().sum());
            }
        }
        return m;
    }

    Map<String, Long> misses() {
        Map<String, Long> m = new TreeMap<>();
        for (Of counts : byInstrumentation.values()) {
            for (int i = 0; i < rules.length; i++) m.put(counts.instrumentation + ": " + rules[i], counts.misses[i].sum());
        }
        return m;
    }

    /** Misses of one rule over every instrumentation. */
    long misses(int rule) {
        long n = 0;
        for (Of counts : byInstrumentation.values()) n += counts.misses[rule].sum();
        return n;
    }

    long dropped() {
        long n = 0;
        for (Of counts : byInstrumentation.values()) n += counts.dropped.sum();
        return n;
    }
}
