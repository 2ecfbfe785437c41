package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tagalong.StorageHeaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scopes far larger than a request can carry: a request gets exactly the headers that fit in
 * {@link HeaderPolicy#MAX_INJECTED_BYTES}, first come first served, each dropped whole, with one log line.
 * Times are printed as a sanity check, never asserted.
 */
class LargeScopeTest {
    @RegisterExtension
    final CapturedStderr err = new CapturedStderr();

    /** A request whose own header lookups are constant-time, so that the times printed are the pipeline's. */
    static final class Request extends OutgoingRequest {
        private final Map<String, String[]> byLowerName = new LinkedHashMap<>();

        Request() {
            super("PUT", "https", "bucket.s3.amazonaws.com", -1, "/key", null);
        }

        List<String> names() {
            List<String> names = new ArrayList<>();
            for (String[] h : byLowerName.values()) names.add(h[0]);
            return names;
        }

        int injectedBytes() {
            int n = 0;
            for (String[] h : byLowerName.values()) n += HeaderPolicy.wireSize(h[0], h[1]);
            return n;
        }

        @Override
        public String header(String name) {
            String[] h = byLowerName.get(name.toLowerCase(Locale.ROOT));
            return h == null ? null : h[1];
        }

        @Override
        public void setHeader(String name, String value) {
            byLowerName.put(name.toLowerCase(Locale.ROOT), new String[] {name, value});
        }

        @Override
        public void removeHeader(String name) {
            byLowerName.remove(name.toLowerCase(Locale.ROOT));
        }
    }

    private static Pipeline pipeline(String... props) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < props.length; i += 2) p.put(props[i], props[i + 1]);
        return new Pipeline(Config.load(p, new HashMap<String, String>()));
    }

    @ParameterizedTest
    @ValueSource(ints = {5_000, 20_000})
    void aLargeScopeGivesExactlyTheHeadersThatFitInOrder(int n) {
        Pipeline p = pipeline("tagalong.headers", "X-S=1");
        Map<String, String> scope = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) scope.put("X-H" + i, "v" + i);

        // First come, first served; a header that does not fit is dropped whole and the next one is tried.
        List<String> expected = new ArrayList<>();
        int budget = HeaderPolicy.MAX_INJECTED_BYTES;
        List<String> all = new ArrayList<>(scope.keySet());
        all.add("X-S");
        for (String name : all) {
            int size = HeaderPolicy.wireSize(name, name.equals("X-S") ? "1" : scope.get(name));
            if (size <= budget) {
                expected.add(name);
                budget -= size;
            }
        }
        assertEquals("X-H599", expected.get(expected.size() - 2), "the arithmetic of this test");
        assertEquals("X-S", expected.get(expected.size() - 1), "a small header after the big ones still fits");

        long t0 = System.nanoTime();
        long opened, first, rest;
        Request r = null;
        int requests = 50;
        try (StorageHeaders.Scope ignored = StorageHeaders.with(scope)) {
            opened = System.nanoTime();
            try (StorageHeaders.Scope nested = StorageHeaders.with("X-Nested", "1")) {
                // a scope inside the large one copies it once, linearly
            }
            long n0 = System.nanoTime();
            r = new Request();
            p.apply(r, p.capture());
            first = System.nanoTime();
            for (int i = 1; i < requests; i++) {
                r = new Request();
                p.apply(r, p.capture());
            }
            rest = System.nanoTime();
            err.original().printf("[LargeScopeTest] %,d-header scope: open %.1f ms, first request %.2f ms, then %.3f ms per request%n",
                    n, (opened - t0) / 1e6, (first - n0) / 1e6, (rest - first) / 1e6 / (requests - 1));
        }
        assertEquals(expected, r.names());
        assertTrue(r.injectedBytes() <= HeaderPolicy.MAX_INJECTED_BYTES, "injected " + r.injectedBytes());

        String log = err.toString();
        assertEquals(1, count(log, "bytes of headers on one request"), "one line for all that was dropped:\n" + head(log));
        assertTrue(log.contains("header X-H600 refused: more than 8192 bytes of headers on one request; " + (n - 600)
                + " headers dropped"), head(log));
    }

    @Test
    void onceTheBudgetIsFullLaterSourcesAreNotReadAtAll() {
        Pipeline p = pipeline("tagalong.headers", "X-Static=1", "tagalong.baggage.allow", "*");
        final int[] read = new int[1];
        PipelineTest.MapSource baggage = new PipelineTest.MapSource(ContextSource.Kind.BAGGAGE) {
            @Override
            public void forEach(Object captured, EntrySink sink) {
                read[0]++;
                super.forEach(captured, sink);
            }
        };
        p.register(baggage);
        Map<String, String> bag = new HashMap<>();
        bag.put("X-Bag", "1");
        baggage.current.set(bag);
        Map<String, String> scope = new LinkedHashMap<>();
        // 16 bytes each on the wire: 512 of them fill 8192 bytes exactly
        for (int i = 0; i < 1000; i++) scope.put(String.format("X-F-%03d", i), "vvvvv");
        PipelineTest.Request r = new PipelineTest.Request(null);
        try (StorageHeaders.Scope ignored = StorageHeaders.with(scope)) {
            p.apply(r, p.capture());
        }
        assertEquals(512, r.headers.size());
        assertEquals("X-F-511", new ArrayList<>(r.headers.keySet()).get(511));
        assertEquals(0, read[0], "the baggage source was read although nothing more could be sent");
        String log = err.toString();
        assertEquals(1, count(log, "bytes of headers on one request"), head(log));
        assertTrue(log.contains("were not examined"), head(log));

        // With room left, the same source is read.
        PipelineTest.Request small = new PipelineTest.Request(null);
        p.apply(small, p.capture());
        assertEquals(1, read[0]);
        assertEquals("{X-Bag=1, X-Static=1}", small.headers.toString());
    }

    private static String head(String log) {
        return log.length() > 2000 ? log.substring(0, 2000) + "..." : log;
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
        return n;
    }
}
