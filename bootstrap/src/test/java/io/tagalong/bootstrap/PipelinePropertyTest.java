package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tagalong.StorageHeaders;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever the configuration, the BAGGAGE environment variable, the program's baggage and MDC, or the maps given to
 * the context holder hold: nothing is thrown to the caller, and every header set on a request is sendable (an RFC
 * 9110 token name that is not reserved, a visible-ASCII value, each name once, at most 8192 bytes in all).
 * 4 x 2,000 generated inputs through the pipeline, and 2 x 1,000 for its helpers: 10,000 a run.
 */
class PipelinePropertyTest {
    private static final int TRIES = 2_000;
    private static PrintStream savedErr;

    /** The pipeline logs every refusal; thousands of generated ones would only bury the build's output. */
    @BeforeContainer
    static void quiet() {
        savedErr = System.err;
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterContainer
    static void restore() {
        System.setErr(savedErr);
        Log.reset();
    }

    // ---- the properties -------------------------------------------------------------------------------------

    @Property(tries = TRIES)
    void anyConfigurationGivesOnlySendableHeaders(
            @ForAll("entryLists") String headers, @ForAll("mappings") String baggageMap, @ForAll("globLists") String baggageAllow,
            @ForAll("mappings") String mdcMap, @ForAll("globLists") String mdcAllow, @ForAll("targetLists") String targets,
            @ForAll("nameLists") String required, @ForAll("entryMaps") Map<String, String> baggage,
            @ForAll("entryMaps") Map<String, String> mdc, @ForAll("entryMaps") Map<String, String> scope) {
        Map<String, String> props = new HashMap<>();
        props.put("tagalong.headers", headers);
        props.put("tagalong.baggage.map", baggageMap);
        props.put("tagalong.baggage.allow", baggageAllow);
        props.put("tagalong.mdc.map", mdcMap);
        props.put("tagalong.mdc.allow", mdcAllow);
        props.put("tagalong.targets", targets);
        props.put("tagalong.required", required);
        Config config = Config.load(props, new HashMap<String, String>());
        Pipeline p = new Pipeline(config);
        ListSource bag = source(p, ContextSource.Kind.BAGGAGE);
        ListSource m = source(p, ContextSource.Kind.MDC);
        bag.entries = pairs(baggage);
        m.entries = pairs(mdc);
        Recording r = new Recording();
        try (StorageHeaders.Scope ignored = StorageHeaders.with(scope)) {
            p.apply(r, p.capture());
        }
        assertSendable(r);
    }

    @Property(tries = TRIES)
    void anyBaggageEnvironmentGivesOnlySendableHeadersWithinTheW3cLimits(@ForAll("baggageHeaders") String baggage,
            @ForAll("mappings") String baggageMap) {
        Map<String, String> props = new HashMap<>();
        props.put("tagalong.baggage.allow", "*");
        props.put("tagalong.baggage.map", baggageMap);
        Map<String, String> env = new HashMap<>();
        env.put("BAGGAGE", baggage);
        Config config = Config.load(props, env);
        assertTrue(config.baggageEnv.size() / 2 <= W3CBaggage.MAX_MEMBERS, "members read: " + config.baggageEnv.size() / 2);
        Pipeline p = new Pipeline(config);
        Recording r = new Recording();
        p.apply(r, p.capture());
        assertSendable(r);
        assertTrue(r.sets.size() <= W3CBaggage.MAX_MEMBERS);
    }

    @Property(tries = TRIES)
    void anyBaggageAndMdcEntriesGiveOnlySendableHeadersAndBaggageWithinTheW3cLimits(
            @ForAll("entryLists") String headers, @ForAll("mappings") String map, @ForAll("entryPairs") List<String[]> baggage,
            @ForAll("entryPairs") List<String[]> otherBaggage, @ForAll("entryPairs") List<String[]> mdc,
            @ForAll boolean brokenSource) {
        Map<String, String> props = new HashMap<>();
        props.put("tagalong.headers", headers);
        props.put("tagalong.baggage.map", map);
        props.put("tagalong.baggage.allow", "*");
        props.put("tagalong.mdc.map", map);
        props.put("tagalong.mdc.allow", "*");
        Pipeline p = new Pipeline(Config.load(props, new HashMap<String, String>()));
        ListSource b1 = source(p, ContextSource.Kind.BAGGAGE);
        ListSource b2 = source(p, ContextSource.Kind.BAGGAGE);
        ListSource m = source(p, ContextSource.Kind.MDC);
        b1.entries = baggage;
        b2.entries = otherBaggage;
        m.entries = mdc;
        if (brokenSource) {
            ListSource broken = source(p, ContextSource.Kind.BAGGAGE);
            broken.entries = baggage;
            broken.failAfter = baggage.size() / 2;
        }
        Recording r = new Recording();
        p.apply(r, p.capture());
        assertSendable(r);
        // Baggage alone (no MDC, no static headers) never gives more than the W3C member limit per source.
        Pipeline onlyBaggage = new Pipeline(Config.load(mapOf("tagalong.baggage.allow", "*"), new HashMap<String, String>()));
        source(onlyBaggage, ContextSource.Kind.BAGGAGE).entries = baggage;
        Recording rb = new Recording();
        onlyBaggage.apply(rb, onlyBaggage.capture());
        assertSendable(rb);
        assertTrue(rb.sets.size() <= W3CBaggage.MAX_MEMBERS);
    }

    @Property(tries = TRIES)
    void anyMapsGivenToTheContextHolderNeverThrowAndGiveOnlySendableHeaders(@ForAll("rawScopes") List<Map<Object, Object>> scopes,
            @ForAll("entryLists") String headers) {
        Pipeline p = new Pipeline(Config.load(mapOf("tagalong.headers", headers), new HashMap<String, String>()));
        Deque<StorageHeaders.Scope> open = new ArrayDeque<>();
        Recording r = new Recording();
        try {
            for (Map<Object, Object> scope : scopes) {
                open.push(StorageHeaders.with(raw(scope)));
                Map<String, String> now = StorageHeaders.current();
                List<String> names = new ArrayList<>();
                for (Map.Entry<String, String> e : now.entrySet()) {
                    // the holder's contents: Strings only, names unique ignoring case
                    Object k = e.getKey(), v = e.getValue();
                    assertTrue(k instanceof String && v instanceof String);
                    for (String n : names) assertFalse(n.equalsIgnoreCase((String) k), () -> "twice in the holder: " + shown((String) k));
                    names.add((String) k);
                }
            }
            p.apply(r, p.capture());
        } finally {
            while (!open.isEmpty()) open.pop().close();
        }
        assertEquals(0, StorageHeaders.current().size(), "every scope closed");
        assertSendable(r);
    }

    /** The index that keeps large sets linear finds exactly what String.equalsIgnoreCase does. */
    @Property(tries = 1_000)
    void headerSetNamesAreUniqueExactlyAsEqualsIgnoreCaseSays(@ForAll("caseTrickyNameLists") List<String> names) {
        HeaderSet.Builder b = new HeaderSet.Builder();
        List<String> linear = new ArrayList<>();
        for (String n : names) {
            boolean isNew = true;
            for (String k : linear) if (k.equalsIgnoreCase(n)) isNew = false;
            if (isNew) linear.add(n);
            assertEquals(isNew, b.putIfAbsent(n, "v"), () -> "for " + shown(n));
        }
        HeaderSet set = b.build();
        assertEquals(linear.size(), set.size());
        for (int i = 0; i < set.size(); i++) assertEquals(linear.get(i), set.name(i));
        for (String n : names) assertTrue(set.get(n) != null, () -> "not found: " + shown(n));
        for (String a : names) {
            for (String c : names) if (a.equalsIgnoreCase(c)) assertEquals(NameList.hash(a), NameList.hash(c), () -> shown(a) + " " + shown(c));
        }
    }

    @Property(tries = 1_000)
    void utf8LengthIsTheEncodedLength(@ForAll("nastyStrings") String s) {
        assertEquals(s.getBytes(StandardCharsets.UTF_8).length, W3CBaggage.utf8Length(s));
    }

    // ---- what every request must satisfy ----------------------------------------------------------------------

    private static void assertSendable(Recording r) {
        Set<String> names = new HashSet<>();
        int total = 0;
        for (String[] h : r.sets) {
            String name = h[0], value = h[1];
            assertTrue(isTchars(name), () -> "not an RFC 9110 token: " + shown(name));
            assertNull(HeaderPolicy.nameProblem(name), () -> "reserved: " + shown(name));
            assertFalse(value.isEmpty(), "empty value for " + name);
            assertTrue(value.length() <= HeaderPolicy.MAX_VALUE_BYTES, "value too long for " + name);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c != '\t' && (c < 0x20 || c > 0x7e)) fail("value of " + name + " holds U+" + Integer.toHexString(c));
            }
            assertTrue(names.add(name.toLowerCase(Locale.ROOT)), "set twice: " + name);
            total += HeaderPolicy.wireSize(name, value);
        }
        assertTrue(total <= HeaderPolicy.MAX_INJECTED_BYTES, "injected bytes: " + total);
    }

    /** RFC 9110 token, written out again here rather than trusting HeaderPolicy.isToken. */
    private static boolean isTchars(String s) {
        if (s.isEmpty()) return false;
        for (char c : s.toCharArray()) {
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) return false;
        }
        return true;
    }

    // ---- generators -----------------------------------------------------------------------------------------
    // Built from jqwik's seeded Random rather than from composed arbitraries: generating and keeping shrinkable
    // trees for thousands of nested strings cost ~20 ms a try, which 10,000 tries cannot afford. A failure still
    // reports its seed, and the assertion messages show the offending name.

    /** Characters that break naive parsing and header writing. */
    private static final String NASTY = "\r\n\u0000\t\u000b\u007f\u0085\u2028 =,;%:\"\\/@?é€\u0130\u0131\u212a\u017f\u00b5\u00ff\ud83d\ude00\ud800"
            + "abcdefXY-_09";
    private static final String TCHARS = "abcdefghijklmnopqrstuvwxyzXYZ-_.09!#'~";
    private static final String[] RESERVED = {"Host", "content-length", "Transfer-Encoding", "Authorization", "cookie", "x-amz-date",
            "X-Amz-Security-Token", "x-amz-checksum-crc32", "x-amz-server-side-encryption-customer-key", "X-Goog-Hash",
            "x-amz-meta-team", "x-goog-meta-team", "Connection", "Expect"};
    private static final String[] ENCODED = {"%0D%0AX-Evil:%201", "%E2%82%AC", "%zz", "%", "a%2Cb", "%00", "%20x%20", "%7F", "%C3%A9"};
    private static final String[] LONG_UNITS = {"a", "ab%2C", "x=y,", "%zz", " ", "\r\n", "\u00e9", "\ud83d\ude00"};

    static String chars(Random r, String alphabet, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return b.toString();
    }

    static String nasty(Random r) {
        return chars(r, NASTY, 0, 20);
    }

    static String token(Random r) {
        return "X-" + chars(r, TCHARS, 1, 12);
    }

    /** Thousands of characters, by repeating a short unit. */
    static String veryLong(Random r) {
        String unit = LONG_UNITS[r.nextInt(LONG_UNITS.length)];
        int n = 3_000 + r.nextInt(6_000);
        StringBuilder b = new StringBuilder(n + unit.length());
        while (b.length() < n) b.append(unit);
        return b.toString();
    }

    static String name(Random r) {
        int k = r.nextInt(30);
        return k < 17 ? token(r) : k < 24 ? nasty(r) : k < 29 ? RESERVED[r.nextInt(RESERVED.length)] : veryLong(r);
    }

    static String value(Random r) {
        int k = r.nextInt(30);
        if (k < 16) return chars(r, "abcdefghijklmnopqrstuvwxyz -_.:/0123456789", 1, 40);
        if (k < 23) return nasty(r);
        if (k < 26) return ENCODED[r.nextInt(ENCODED.length)];
        if (k < 29) return "v".repeat(1 + r.nextInt(5_000));
        return veryLong(r);
    }

    static String join(Random r, int max, java.util.function.Function<Random, String> item) {
        int n = r.nextInt(max + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(i > 0 ? "," : "").append(item.apply(r));
        return b.toString();
    }

    /** tagalong.headers-like lists: name=value entries, some broken, joined by commas. */
    @Provide
    Arbitrary<String> entryLists() {
        String[] broken = {"=", "=x", "X-A=", ",,", " , "};
        return Arbitraries.randomValue(r -> join(r, 25, x -> {
            int k = x.nextInt(8);
            return k < 6 ? name(x) + "=" + value(x) : k < 7 ? nasty(x) : broken[x.nextInt(broken.length)];
        }));
    }

    /** baggage.map / mdc.map: key=Header entries. */
    @Provide
    Arbitrary<String> mappings() {
        return Arbitraries.randomValue(r -> join(r, 20, x -> x.nextInt(7) < 6 ? name(x) + "=" + name(x) : nasty(x)));
    }

    @Provide
    Arbitrary<String> globLists() {
        String[] globs = {"*", "X-*", "x-*-id", "?*", "**", "[", "\\"};
        return Arbitraries.randomValue(r -> join(r, 5, x -> {
            int k = x.nextInt(7);
            return k < 3 ? globs[x.nextInt(globs.length)] : k < 6 ? name(x) : nasty(x);
        }));
    }

    @Provide
    Arbitrary<String> targetLists() {
        String[] targets = {"s3", "gcs", "all", "*.r2.cloudflarestorage.com", "http://127.0.0.1:9000/bucket/", "https://", "*",
                "http://[::1]:x/", "ftp://h/p", "s3,gcs"};
        return Arbitraries.randomValue(r -> join(r, 5, x -> {
            int k = x.nextInt(6);
            return k < 3 ? targets[x.nextInt(targets.length)] : k < 5 ? nasty(x) : name(x);
        }));
    }

    @Provide
    Arbitrary<String> nameLists() {
        return Arbitraries.randomValue(r -> join(r, 5, PipelinePropertyTest::name));
    }

    /** The BAGGAGE environment variable: W3C members with metadata, broken members, and too much of everything. */
    @Provide
    Arbitrary<String> baggageHeaders() {
        String[] meta = {"", ";prop", ";p=v", ";;", "; x = y"};
        return Arbitraries.randomValue(r -> r.nextInt(12) == 0 ? veryLong(r) : join(r, 100, x -> {
            int k = x.nextInt(9);
            if (k < 6) return name(x) + "=" + value(x) + meta[x.nextInt(meta.length)];
            if (k < 8) return " " + token(x) + " = " + chars(x, "abcdefghij", 0, 10) + " ";
            return nasty(x);
        }));
    }

    @Provide
    Arbitrary<Map<String, String>> entryMaps() {
        return Arbitraries.randomValue(r -> {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = r.nextInt(31); i > 0; i--) m.put(name(r), value(r));
            return m;
        });
    }

    /** Entries as a bridge yields them: duplicates, nulls, more than the W3C limits. */
    @Provide
    Arbitrary<List<String[]>> entryPairs() {
        return Arbitraries.randomValue(r -> {
            List<String[]> l = new ArrayList<>();
            if (r.nextInt(4) == 0) { // past the W3C member limit with entries that would all be sendable
                for (int i = 65 + r.nextInt(100); i > 0; i--) l.add(new String[] {token(r), chars(r, "abcxyz019", 1, 8)});
                return l;
            }
            for (int i = r.nextInt(121); i > 0; i--) {
                String k = r.nextInt(20) == 0 ? null : name(r);
                l.add(new String[] {k, r.nextInt(20) == 0 ? null : r.nextInt(10) == 0 && k != null ? k : value(r)});
            }
            return l;
        });
    }

    /** Nested scopes given raw maps: names and values of any type, nulls, and maps that fail while read. */
    @Provide
    Arbitrary<List<Map<Object, Object>>> rawScopes() {
        return Arbitraries.randomValue(r -> {
            List<Map<Object, Object>> scopes = new ArrayList<>();
            for (int n = 1 + r.nextInt(5); n > 0; n--) {
                int kind = r.nextInt(13);
                if (kind == 0) {
                    scopes.add(r.nextBoolean() ? FAILING_ON_READ : FAILING_HALFWAY);
                    continue;
                }
                Map<Object, Object> m = kind == 1 ? new java.util.Properties() : new LinkedHashMap<>();
                for (int i = r.nextInt(26); i > 0; i--) {
                    int k = r.nextInt(20), v = r.nextInt(20);
                    Object key = k == 0 ? null : k == 1 ? (Object) r.nextInt() : k == 2 ? new StringBuilder("X-Sb") : name(r);
                    Object value = v == 0 ? null : v == 1 ? (Object) r.nextInt() : v == 2 ? (Object) 'c' : value(r);
                    if (m instanceof java.util.Properties && (key == null || value == null)) continue; // a Hashtable
                    m.put(key, value);
                }
                scopes.add(m);
            }
            return scopes;
        });
    }

    /** Names whose case folding is unusual: dotted and dotless i, Kelvin sign, long s, sharp s, Deseret pairs. */
    @Provide
    Arbitrary<List<String>> caseTrickyNameLists() {
        // Surrogates only in pairs: for a lone one the JDK's equalsIgnoreCase is not even transitive (never a header name).
        String[] units = {"i", "I", "k", "K", "s", "S", "\u0130", "\u0131", "\u212a", "\u017f", "\u00df", "\u00b5", "\u039c",
                "\u03bc", "\u00ff", "\u0178", "\ud801\udc00", "\ud801\udc28", "x", "X", "-"};
        return Arbitraries.randomValue(r -> {
            List<String> l = new ArrayList<>();
            for (int i = r.nextInt(61); i > 0; i--) {
                StringBuilder b = new StringBuilder();
                for (int j = 1 + r.nextInt(3); j > 0; j--) b.append(units[r.nextInt(units.length)]);
                l.add(b.toString());
            }
            return l;
        });
    }

    @Provide
    Arbitrary<String> nastyStrings() {
        return Arbitraries.randomValue(r -> r.nextInt(10) == 0 ? veryLong(r) : nasty(r));
    }

    /** A map that fails when the pipeline reads it, and only then (jqwik itself may hash or print it). */
    private abstract static class Failing extends AbstractMap<Object, Object> {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return getClass().getSimpleName();
        }
    }

    private static final Map<Object, Object> FAILING_ON_READ = new Failing() {
        @Override
        public Set<Entry<Object, Object>> entrySet() {
            throw new IllegalStateException("broken map");
        }
    };

    private static final Map<Object, Object> FAILING_HALFWAY = new Failing() {
        @Override
        public Set<Entry<Object, Object>> entrySet() {
            Map<Object, Object> m = new LinkedHashMap<>();
            m.put("X-Before", "1");
            m.put("X-After", "2");
            Set<Entry<Object, Object>> inner = m.entrySet();
            return new java.util.AbstractSet<Entry<Object, Object>>() {
                @Override
                public java.util.Iterator<Entry<Object, Object>> iterator() {
                    java.util.Iterator<Entry<Object, Object>> it = inner.iterator();
                    return new java.util.Iterator<Entry<Object, Object>>() {
                        int n;

                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<Object, Object> next() {
                            if (n++ == 1) throw new java.util.ConcurrentModificationException();
                            return it.next();
                        }
                    };
                }

                @Override
                public int size() {
                    return 2;
                }
            };
        }
    };

    // ---- helpers --------------------------------------------------------------------------------------------

    /** A bridge as the OpenTelemetry and MDC ones are: entries in order, registered on the pipeline. */
    static final class ListSource implements ContextSource {
        final Kind kind;
        List<String[]> entries;
        int failAfter = -1;

        ListSource(Kind kind) {
            this.kind = kind;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public Object capture() {
            return entries == null || entries.isEmpty() ? null : entries;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void forEach(Object captured, EntrySink sink) {
            int n = 0;
            for (String[] kv : (List<String[]>) captured) {
                if (n++ == failAfter) throw new IllegalStateException("bridge broke");
                sink.accept(kv[0], kv[1]);
            }
        }
    }

    private static ListSource source(Pipeline p, ContextSource.Kind kind) {
        ListSource s = new ListSource(kind);
        p.register(s);
        return s;
    }

    /** A request that records what the pipeline set; it starts with no headers, so all of them are injected. */
    static final class Recording extends OutgoingRequest {
        final List<String[]> sets = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();

        Recording() {
            super("PUT", "https", "bucket.s3.amazonaws.com", -1, "/key", null);
        }

        @Override
        public String header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
            return null;
        }

        @Override
        public void setHeader(String name, String value) {
            sets.add(new String[] {name, value});
            removeHeader(name);
            headers.put(name, value);
        }

        @Override
        public void removeHeader(String name) {
            headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        }
    }

    private static List<String[]> pairs(Map<String, String> m) {
        List<String[]> l = new ArrayList<>();
        for (Map.Entry<String, String> e : m.entrySet()) l.add(new String[] {e.getKey(), e.getValue()});
        return l;
    }

    private static Map<String, String> mapOf(String k, String v) {
        Map<String, String> m = new HashMap<>();
        m.put(k, v);
        return m;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, String> raw(Map<Object, Object> m) {
        return (Map) m;
    }

    /** A generated string fit for an assertion message: escaped, cut short. */
    private static String shown(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (b.length() > 80) return b.append("...").toString();
            if (c >= 0x20 && c < 0x7f) b.append(c);
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }
}
