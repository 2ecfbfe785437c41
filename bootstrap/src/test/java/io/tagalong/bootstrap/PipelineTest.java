package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class PipelineTest {
    @RegisterExtension
    final CapturedStderr err = new CapturedStderr();

    /** A request as a client would hold it: headers by name, any case, one value each. */
    static class Request extends OutgoingRequest {
        final Map<String, String> headers = new LinkedHashMap<>();

        Request(String query) {
            this("/key", query);
        }

        Request(String path, String query) {
            super("PUT", "https", "bucket.s3.amazonaws.com", -1, path, query);
        }

        @Override
        public String header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
            return null;
        }

        @Override
        public void setHeader(String name, String value) {
            removeHeader(name);
            headers.put(name, value);
        }

        @Override
        public void removeHeader(String name) {
            headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        }

        @Override
        protected Iterable<String> headerNames() {
            return headers.keySet();
        }
    }

    /** Stands in for an OpenTelemetry baggage or MDC bridge. */
    static class MapSource implements ContextSource {
        final Kind kind;
        final ThreadLocal<Map<String, String>> current = new ThreadLocal<>();

        MapSource(Kind kind) {
            this.kind = kind;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public Object capture() {
            return current.get();
        }

        @Override
        @SuppressWarnings("unchecked")
        public void forEach(Object captured, EntrySink sink) {
            ((Map<String, String>) captured).forEach(sink::accept);
        }
    }

    private static Pipeline pipeline(Map<String, String> env, String... props) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < props.length; i += 2) p.put(props[i], props[i + 1]);
        return new Pipeline(Config.load(p, env));
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void staticHeadersAreSetOnce() {
        Pipeline p = pipeline(env(), "tagalong.headers", "X-Team=ml,X-Cost-Center=42");
        Request r = new Request(null);
        p.apply(r, p.capture());
        p.apply(r, p.capture());
        assertEquals("{X-Team=ml, X-Cost-Center=42}", r.headers.toString());
    }

    @Test
    void precedenceHolderThenBaggageThenMdcThenEnvThenStatic() {
        Pipeline p = pipeline(env("BAGGAGE", "a=env,b=env,c=env,d=env"),
                "tagalong.headers", "X-A=static,X-B=static,X-C=static,X-D=static,X-E=static",
                "tagalong.baggage.map", "a=X-A,b=X-B,c=X-C,d=X-D",
                "tagalong.mdc.map", "a=X-A,b=X-B,c=X-C");
        MapSource baggage = new MapSource(ContextSource.Kind.BAGGAGE);
        MapSource mdc = new MapSource(ContextSource.Kind.MDC);
        p.register(mdc); // registration order must not matter: kind decides precedence through the order below
        p.register(baggage);
        Map<String, String> bag = new HashMap<>();
        bag.put("a", "baggage");
        bag.put("b", "baggage");
        baggage.current.set(bag);
        Map<String, String> m = new HashMap<>();
        m.put("a", "mdc");
        m.put("b", "mdc");
        m.put("c", "mdc");
        mdc.current.set(m);
        Request r = new Request(null);
        try (StorageHeaders.Scope ignored = StorageHeaders.with("x-a", "holder")) {
            p.apply(r, p.capture());
        }
        assertEquals("holder", r.header("X-A"));
        assertEquals("baggage", r.header("X-B"));
        assertEquals("mdc", r.header("X-C"));
        assertEquals("env", r.header("X-D"));
        assertEquals("static", r.header("X-E"));
        assertEquals(5, r.headers.size());
    }

    @Test
    void theProgramsOwnHolderCopyComesRightAfterTheAgentsAndItsEntriesAreHeadersAsTheyAre() {
        Pipeline p = pipeline(env(), "tagalong.headers", "X-D=static",
                "tagalong.baggage.map", "a=X-A,b=X-B,c=X-C", "tagalong.baggage.allow", "*");
        MapSource baggage = new MapSource(ContextSource.Kind.BAGGAGE);
        MapSource copy = new MapSource(ContextSource.Kind.HOLDER);
        p.register(baggage); // registration order must not matter
        p.register(copy);
        Map<String, String> bag = new HashMap<>();
        bag.put("a", "baggage");
        bag.put("b", "baggage");
        bag.put("c", "baggage");
        baggage.current.set(bag);
        Map<String, String> scoped = new HashMap<>();
        scoped.put("X-A", "copy");
        scoped.put("x-b", "copy");
        scoped.put("b", "copy"); // a header named b, not a baggage key to map
        scoped.put("X-D", "copy");
        copy.current.set(scoped);
        Request r = new Request(null);
        try (StorageHeaders.Scope ignored = StorageHeaders.with("x-a", "agent")) {
            p.apply(r, p.capture());
        }
        assertEquals("agent", r.header("X-A"));
        assertEquals("copy", r.header("X-B"));
        assertEquals("baggage", r.header("X-C"));
        assertEquals("copy", r.header("X-D"));
        assertEquals("copy", r.headers.get("b"));
        assertEquals(5, r.headers.size(), r.headers.toString());
    }

    /** Issue 15: names that the data chose through an allow glob may not change what the request does. */
    @Test
    void namesChosenByTheDataThatChangeTheRequestAreRefusedNamesFixedByTheOperatorAreNot() {
        Pipeline p = pipeline(env("BAGGAGE", "x-amz-acl=public-read,x-amz-meta-team=ml,Range=bytes%3D0-1,acl=private"),
                "tagalong.baggage.allow", "*", "tagalong.mdc.allow", "*", "tagalong.baggage.map", "acl=x-amz-acl",
                "tagalong.headers", "x-amz-storage-class=STANDARD_IA");
        MapSource mdc = new MapSource(ContextSource.Kind.MDC);
        p.register(mdc);
        mdc.current.set(Map.of("x-amz-copy-source", "/other/secret", "If-Match", "*", "X-Tenant", "t1"));
        Request r = new Request(null);
        p.apply(r, p.capture());
        assertEquals(Map.of("x-amz-acl", "private", "x-amz-meta-team", "ml", "X-Tenant", "t1",
                "x-amz-storage-class", "STANDARD_IA"), r.headers, "the operator's mapping of acl wins over the key x-amz-acl");
        String log = err.toString();
        for (String refused : List.of("Range", "x-amz-copy-source", "If-Match")) {
            assertEquals(1, count(log, "header " + refused + " refused: changes what the storage request does"), log);
        }
        assertFalse(log.contains("public-read") || log.contains("secret") || log.contains("bytes"), log);
    }

    /** A caller allowed x-amz-meta-* cannot make S3 refuse the request: injected user metadata stays within 2 KB. */
    @Test
    void injectedS3MetadataStaysWithinTheTwoKilobytesS3Accepts() {
        Pipeline p = pipeline(env(), "tagalong.baggage.allow", "x-amz-meta-*", "tagalong.headers", "x-amz-meta-team=ml");
        MapSource baggage = new MapSource(ContextSource.Kind.BAGGAGE);
        p.register(baggage);
        Map<String, String> bag = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) bag.put("x-amz-meta-k" + i, repeat('v', 500)); // 502 bytes each
        bag.put("X-Other", "small");
        baggage.current.set(bag);
        Request r = new Request(null);
        p.apply(r, p.capture());
        // k1..k4 (2,008 bytes) fit; k5 would make 2,510; team=ml (6) still fits after them.
        for (int i = 1; i <= 4; i++) assertEquals(500, r.header("x-amz-meta-k" + i).length());
        assertNull(r.header("x-amz-meta-k5"));
        assertEquals("ml", r.header("x-amz-meta-team"));
        assertTrue(err.toString().contains("header x-amz-meta-k5 refused: more than 2048 bytes of x-amz-meta-* metadata"), err.toString());
    }

    @Test
    void baggageBecomesHeadersOnlyThroughMapOrAllow() {
        Pipeline p = pipeline(env("BAGGAGE", "team=ml,X-My-Header-1=one,secret=s,x-my-header-2=two"),
                "tagalong.baggage.map", "team=X-Team", "tagalong.baggage.allow", "x-my-header-*");
        Request r = new Request(null);
        p.apply(r, p.capture());
        assertEquals("{X-Team=ml, X-My-Header-1=one, x-my-header-2=two}", r.headers.toString());
    }

    @Test
    void theCaptureIsWhatCountsNotTheThreadThatApplies() throws Exception {
        Pipeline p = pipeline(env());
        Capture captured;
        try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Job", "42")) {
            captured = p.capture();
        }
        Request r = new Request(null);
        Thread t = new Thread(() -> p.apply(r, captured));
        t.start();
        t.join();
        assertEquals("42", r.header("X-Job"));
        Request after = new Request(null);
        p.apply(after, p.capture());
        assertNull(after.header("X-Job"));
    }

    @Test
    void overrideDecidesAboutTheProgramsOwnHeader() {
        Request kept = new Request(null);
        kept.setHeader("x-team", "app");
        Pipeline off = pipeline(env(), "tagalong.headers", "X-Team=ml");
        off.apply(kept, off.capture());
        assertEquals("{x-team=app}", kept.headers.toString());

        Request replaced = new Request(null);
        replaced.setHeader("x-team", "app");
        Pipeline on = pipeline(env(), "tagalong.headers", "X-Team=ml", "tagalong.override", "true");
        Pipeline.Applied applied = on.apply(replaced, on.capture());
        assertEquals("{X-Team=ml}", replaced.headers.toString());
        applied.undo(replaced);
        assertEquals("app", replaced.header("X-Team"));
        assertEquals(1, replaced.headers.size());
    }

    @Test
    void signedRequestsGetNoSignatureSensitiveHeadersAndNoChanges() {
        Pipeline p = pipeline(env(), "tagalong.headers", "X-Team=ml,x-amz-meta-team=ml,x-goog-meta-team=ml,X-Other=1",
                "tagalong.override", "true");
        Request sigv4 = new Request(null);
        sigv4.setHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-other, Signature=abc");
        sigv4.setHeader("X-Other", "signed-value");
        p.apply(sigv4, p.capture());
        assertEquals("ml", sigv4.header("X-Team"));
        assertEquals("signed-value", sigv4.header("X-Other"));
        assertNull(sigv4.header("x-amz-meta-team"));
        assertNull(sigv4.header("x-goog-meta-team"));

        for (String query : new String[] {"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc",
                "x-goog-signature=abc&x-goog-date=1", "AWSAccessKeyId=A&Expires=1&Signature=abc"}) {
            Request presigned = new Request(query);
            p.apply(presigned, p.capture());
            assertEquals("ml", presigned.header("X-Team"), query);
            assertNull(presigned.header("x-amz-meta-team"), query);
        }
        Request unsigned = new Request("uploads=&partNumber=1");
        p.apply(unsigned, p.capture());
        assertEquals("ml", unsigned.header("x-amz-meta-team"));
        assertTrue(err.toString().contains("header x-amz-meta-team refused: the request is already signed"), err.toString());
    }

    @Test
    void aSignedRequestThatAlreadyCarriesTheHeaderFromAnSdkLayerIsLeftAloneWithoutARefusal() {
        Pipeline p = pipeline(env(), "tagalong.headers", "X-Team=ml,x-amz-meta-team=ml");
        Request signedBySdk = new Request(null);
        signedBySdk.setHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-meta-team;x-team, Signature=abc");
        signedBySdk.setHeader("X-Team", "ml");
        signedBySdk.setHeader("x-amz-meta-team", "ml");
        assertTrue(p.apply(signedBySdk, p.capture()).isEmpty());
        assertEquals("ml", signedBySdk.header("x-amz-meta-team"));
        assertFalse(err.toString().contains("refused"), err.toString());
    }

    @Test
    void aLayerRefusesTheNamesItsProtocolCannotCarryOnceAndTheRestGoes() {
        Pipeline p = pipeline(env(), "tagalong.headers", "X-Team=ml,grpc-x=reserved-value,X-Trace-bin=binary-value");
        for (int i = 0; i < 2; i++) {
            Request grpc = new Request(null) {
                @Override
                protected String layerNameProblem(String name) {
                    return HeaderPolicy.grpcMetadataProblem(name);
                }
            };
            p.apply(grpc, p.capture());
            assertEquals("{X-Team=ml}", grpc.headers.toString());
        }
        Request http = new Request(null);
        p.apply(http, p.capture());
        assertEquals(3, http.headers.size(), http.headers.toString()); // valid HTTP names: only the gRPC layer refuses them
        String log = err.toString();
        assertEquals(1, count(log, "header grpc-x refused: reserved (gRPC)"), log);
        assertEquals(1, count(log, "header X-Trace-bin refused: a binary (-bin) gRPC metadata key"), log);
        assertFalse(log.contains("reserved-value") || log.contains("binary-value"), log);
    }

    @Test
    void refusalsDropOneHeaderLogNameOnceAndNeverTheValue() {
        Pipeline p = pipeline(env("BAGGAGE", "team=ml%0D%0AX-Evil:%201,job=nightly,host=evil.example,long=" + repeat('v', 4097)),
                "tagalong.baggage.map", "team=X-Team,job=X-Job,long=X-Long", "tagalong.baggage.allow", "host");
        for (int i = 0; i < 3; i++) {
            Request r = new Request(null);
            p.apply(r, p.capture());
            assertEquals("{X-Job=nightly}", r.headers.toString());
        }
        String log = err.toString();
        assertEquals(1, count(log, "header X-Team refused: value contains CR, LF or NUL"), log);
        assertEquals(1, count(log, "header host refused: reserved (connection and framing)"), log);
        assertEquals(1, count(log, "header X-Long refused: value longer than 4096 bytes"), log);
        assertFalse(log.contains("X-Evil") || log.contains("evil.example") || log.contains("vvvv"), log);
    }

    @Test
    void atMost8192BytesAreInjectedAndOverflowingHeadersAreDroppedWhole() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 5; i++) headers.append(i > 0 ? "," : "").append("X-H").append(i).append('=').append(repeat('v', 2000));
        Pipeline p = pipeline(env(), "tagalong.headers", headers.toString(), "tagalong.baggage.allow", "X-Small");
        Request r = new Request(null);
        p.apply(r, p.capture());
        assertEquals(4, r.headers.size(), r.headers.keySet().toString());
        for (String v : r.headers.values()) assertEquals(2000, v.length());
        assertTrue(err.toString().contains("header X-H4 refused: more than 8192 bytes"), err.toString());
    }

    @Test
    void aLowerLayerCountsWhatAnUpperLayerSetAndAddsNothingThatDidNotFitThere() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 5; i++) headers.append(i > 0 ? "," : "").append("X-H").append(i).append('=').append(repeat('v', 2000));
        Pipeline p = pipeline(env(), "tagalong.headers", headers.toString());
        Request r = new Request(null);
        p.apply(r, p.capture()); // the SDK layer
        assertEquals(4, r.headers.size());
        assertTrue(p.apply(r, p.capture()).isEmpty()); // the HTTP client layer below it, same request
        assertEquals(4, r.headers.size(), r.headers.keySet().toString());
    }

    @Test
    void requiredHeadersMissingAreReportedOncePerHostAndName() {
        Pipeline p = pipeline(env(), "tagalong.required", "X-Audit,X-Team", "tagalong.headers", "X-Team=ml");
        for (int i = 0; i < 3; i++) p.apply(new Request(null), p.capture());
        String log = err.toString();
        assertEquals(1, count(log, "required header X-Audit missing on a storage request to bucket.s3.amazonaws.com"), log);
        assertEquals(0, count(log, "required header X-Team missing"), log);
        Request withAudit = new Request(null);
        withAudit.setHeader("x-audit", "1");
        p.apply(withAudit, p.capture());
        assertEquals(1, count(err.toString(), "required header X-Audit missing"));
    }

    @Test
    void nonTargetDecisionAllocatesNothingObservableAndTargetsMatch() {
        Pipeline p = pipeline(env());
        assertTrue(p.isStorageRequest(Targets.Client.HTTP, "https", "b.s3.us-east-1.amazonaws.com", -1, "/k"));
        assertFalse(p.isStorageRequest(Targets.Client.HTTP, "http", "127.0.0.1", 8080, "/k"));
    }

    @Test
    void debugTracesDecisionsWithoutValues() {
        Log.debug = true;
        Pipeline p = pipeline(env(), "tagalong.headers", "X-Team=hush");
        Request r = new Request("X-Amz-Credential=secret");
        p.apply(r, p.capture());
        String log = err.toString();
        assertTrue(log.contains("[tagalong] DEBUG PUT https://bucket.s3.amazonaws.com/key: set X-Team (tagalong.headers);"), log);
        assertFalse(log.contains("hush") || log.contains("secret"), log);
    }

    @Test
    void aFailingSourceIsSkippedAndTheRestApplies() {
        Pipeline p = pipeline(env(), "tagalong.headers", "X-Team=ml", "tagalong.baggage.allow", "*");
        p.register(new ContextSource() {
            @Override
            public Kind kind() {
                return Kind.BAGGAGE;
            }

            @Override
            public Object capture() {
                return "something";
            }

            @Override
            public void forEach(Object captured, EntrySink sink) {
                throw new LinkageError("bridge broke");
            }
        });
        Request r = new Request(null);
        p.apply(r, p.capture());
        assertEquals("ml", r.header("X-Team"));
        assertTrue(err.toString().contains("source failed (LinkageError)"), err.toString());
    }

    @Test
    void theProgramsBaggageIsReadWithinTheW3cMemberLimit() {
        Pipeline p = pipeline(env(), "tagalong.baggage.allow", "X-B-*", "tagalong.mdc.allow", "X-M-*");
        MapSource baggage = new MapSource(ContextSource.Kind.BAGGAGE);
        MapSource mdc = new MapSource(ContextSource.Kind.MDC);
        p.register(baggage);
        p.register(mdc);
        Map<String, String> bag = new LinkedHashMap<>();
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            bag.put(String.format("X-B-%03d", i), "b" + i);
            m.put(String.format("X-M-%03d", i), "m" + i);
        }
        baggage.current.set(bag);
        mdc.current.set(m);
        Request r = new Request(null);
        p.apply(r, p.capture());
        List<String> fromBaggage = new ArrayList<>();
        for (String name : r.headers.keySet()) if (name.startsWith("X-B-")) fromBaggage.add(name);
        assertEquals(W3CBaggage.MAX_MEMBERS, fromBaggage.size(), fromBaggage.toString());
        assertEquals("X-B-000", fromBaggage.get(0));
        assertEquals("X-B-063", fromBaggage.get(W3CBaggage.MAX_MEMBERS - 1));
        assertEquals(W3CBaggage.MAX_MEMBERS + 100, r.headers.size(), "the MDC is no baggage: all 100 of it applies");
        String log = err.toString();
        assertEquals(1, count(log, "beyond the W3C limits were ignored"), log);
        assertFalse(log.contains("b64") || log.contains("b99"), log);
    }

    @Test
    void theProgramsBaggageIsReadWithinTheW3cByteLimitAndUnmappedMembersCount() {
        Pipeline p = pipeline(env(), "tagalong.baggage.allow", "X-*");
        MapSource baggage = new MapSource(ContextSource.Kind.BAGGAGE);
        p.register(baggage);
        Map<String, String> bag = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) bag.put("pad" + i, repeat('p', 1000)); // 8 * 1005 + 7 commas = 8047 bytes, no header
        bag.put("X-A", "1");                  // 8053: within
        bag.put("X-B", repeat('v', 200));     // 8258: beyond
        bag.put("X-C", "1");                  // after the cut: ignored too
        baggage.current.set(bag);
        Request r = new Request(null);
        for (int i = 0; i < 2; i++) p.apply(r, p.capture());
        assertEquals("{X-A=1}", r.headers.toString());
        assertEquals(1, count(err.toString(), "beyond the W3C limits were ignored"), err.toString());
    }

    @Test
    void eachBaggageSourceHasItsOwnLimitPerRequest() {
        Pipeline p = pipeline(env(), "tagalong.baggage.allow", "X-*");
        MapSource one = new MapSource(ContextSource.Kind.BAGGAGE);
        MapSource two = new MapSource(ContextSource.Kind.BAGGAGE);
        p.register(one);
        p.register(two);
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> b = new LinkedHashMap<>();
        for (int i = 0; i < W3CBaggage.MAX_MEMBERS; i++) {
            a.put("X-A" + i, "1");
            b.put("X-B" + i, "1");
        }
        one.current.set(a);
        two.current.set(b);
        for (int n = 0; n < 2; n++) {
            Request r = new Request(null);
            p.apply(r, p.capture());
            assertEquals(2 * W3CBaggage.MAX_MEMBERS, r.headers.size());
        }
        assertFalse(err.toString().contains("W3C limits"), err.toString());
    }

    private static String repeat(char c, int n) {
        char[] a = new char[n];
        java.util.Arrays.fill(a, c);
        return new String(a);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
        return n;
    }
}
