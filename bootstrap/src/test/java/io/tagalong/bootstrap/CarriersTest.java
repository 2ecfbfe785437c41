package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tagalong.StorageHeaders;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The carriers take the decided values: same sources, precedence, refusals; each where its layer allows it. */
class CarriersTest {
    @RegisterExtension
    final CapturedStderr err = new CapturedStderr();

    /** A request at a layer that offers the given carriers; query parameters kept in order. */
    static final class Request extends PipelineTest.Request {
        final Map<String, String> params = new LinkedHashMap<>();
        final int carriers;
        UserAgentElement deferred;
        boolean defers;

        Request(int carriers, String query) {
            super(query);
            this.carriers = carriers;
        }

        @Override
        protected int carriers() {
            return carriers;
        }

        @Override
        protected boolean hasQueryParameter(String name) {
            return params.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
        }

        @Override
        protected void addQueryParameter(String name, String value) {
            params.put(name, value);
        }

        @Override
        protected boolean deferUserAgent(UserAgentElement element) {
            if (defers) deferred = element;
            return defers;
        }
    }

    private static Pipeline pipeline(String... props) {
        Map<String, String> p = new HashMap<>();
        p.put("tagalong.targets", "all");
        for (int i = 0; i < props.length; i += 2) p.put(props[i], props[i + 1]);
        return new Pipeline(Config.load(p, Collections.emptyMap()));
    }

    private static final int SDK_S3 = OutgoingRequest.USER_AGENT | OutgoingRequest.S3_LOG_PARAMS;
    private static final int GCS = OutgoingRequest.USER_AGENT | OutgoingRequest.GCS_AUDIT;

    @Test
    void s3LogParametersCarryTheDecidedValuesWithTheContextHolderFirst() {
        Pipeline p = pipeline("tagalong.headers", "X-Team=ml,X-Job-Id=nightly", "tagalong.s3.log-params", "X-Team,X-Job-Id,X-Absent");
        Request r = new Request(SDK_S3, null);
        try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Job-Id", "run 7/a&b=c")) {
            p.apply(r, p.capture());
        }
        assertEquals("{x-team=ml, x-job-id=run 7/a&b=c}", r.params.toString()); // raw: the SDK encodes and signs them
        assertEquals("ml", r.header("X-Team"));
    }

    @Test
    void noQueryParameterWhereTheLayerDoesNotOfferThemOrTheRequestIsSigned() {
        Pipeline p = pipeline("tagalong.headers", "X-Team=ml", "tagalong.s3.log-params", "X-Team");
        Request http = new Request(OutgoingRequest.USER_AGENT, null);
        p.apply(http, p.capture());
        assertTrue(http.params.isEmpty());
        Request presigned = new Request(SDK_S3, "X-Amz-Signature=abc&X-Amz-SignedHeaders=host");
        p.apply(presigned, p.capture());
        assertTrue(presigned.params.isEmpty());
    }

    @Test
    void theProgramsOwnParameterIsKeptAndCollidingNamesAreReportedOnce() {
        Config c = Config.load(Map.of("tagalong.s3.log-params", "X-Team,Team"), Collections.emptyMap());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).contains("tagalong.s3.log-params: entry 2 ignored: header Team gives x-team"), c.problems().toString());

        Pipeline p = pipeline("tagalong.headers", "X-Team=ml", "tagalong.s3.log-params", "X-Team");
        Request r = new Request(SDK_S3, "x-team=program");
        r.params.put("X-Team", "program");
        p.apply(r, p.capture());
        assertEquals("{X-Team=program}", r.params.toString());
    }

    @Test
    void aRefusedHeaderIsCarriedNowhere() {
        Pipeline p = pipeline("tagalong.baggage.map", "team=X-Team", "tagalong.s3.log-params", "X-Team",
                "tagalong.user-agent", "X-Team", "tagalong.gcs.audit", "X-Team");
        PipelineTest.MapSource baggage = new PipelineTest.MapSource(ContextSource.Kind.BAGGAGE);
        p.register(baggage);
        baggage.current.set(Map.of("team", "bad\nvalue"));
        try {
            Request r = new Request(SDK_S3 | GCS, null);
            p.apply(r, p.capture());
            assertTrue(r.headers.isEmpty(), r.headers.toString());
            assertTrue(r.params.isEmpty());
        } finally {
            baggage.current.remove();
        }
        assertTrue(err.toString().contains("header X-Team refused: value contains CR, LF or NUL"), err.toString());
        assertFalse(err.toString().contains("bad"));
    }

    @Test
    void userAgentElementIsAppendedOnceAndUndone() {
        Pipeline p = pipeline("tagalong.headers", "X-Team=ml,X-Job-Id=nightly", "tagalong.user-agent", "X-Team,X-Job-Id");
        Request r = new Request(OutgoingRequest.USER_AGENT, null);
        r.setHeader("User-Agent", "okhttp/4.12.0");
        Pipeline.Applied applied = p.apply(r, p.capture());
        assertEquals("okhttp/4.12.0 tagalong (team=ml; job-id=nightly)", r.header("User-Agent"));
        p.apply(r, p.capture()); // the next hop carries it already
        assertEquals("okhttp/4.12.0 tagalong (team=ml; job-id=nightly)", r.header("User-Agent"));
        applied.undo(r);
        assertEquals("okhttp/4.12.0", r.header("User-Agent"));
    }

    @Test
    void userAgentIsLeftAloneWhereItIsSignedOrHasNoRoom() {
        Pipeline p = pipeline("tagalong.headers", "X-Team=ml", "tagalong.user-agent", "X-Team");
        Request signed = new Request(OutgoingRequest.USER_AGENT, null);
        signed.setHeader("User-Agent", "aws-sdk-java/1.12.791");
        signed.setHeader("Authorization", "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host;user-agent;x-amz-date, Signature=0");
        p.apply(signed, p.capture());
        assertEquals("aws-sdk-java/1.12.791", signed.header("User-Agent"));
        Request presigned = new Request(OutgoingRequest.USER_AGENT, "X-Amz-SignedHeaders=host%3Buser-agent&X-Amz-Signature=0");
        p.apply(presigned, p.capture());
        assertNull(presigned.header("User-Agent"));
        Request unsignedUa = new Request(OutgoingRequest.USER_AGENT, "X-Amz-SignedHeaders=host&X-Amz-Signature=0");
        unsignedUa.setHeader("User-Agent", "Java/17");
        p.apply(unsignedUa, p.capture());
        assertEquals("Java/17 tagalong (team=ml)", unsignedUa.header("User-Agent"));
        Request noUserAgentYet = new Request(OutgoingRequest.USER_AGENT, null); // the client adds its own later
        p.apply(noUserAgentYet, p.capture());
        assertNull(noUserAgentYet.header("User-Agent"));

        Request full = new Request(OutgoingRequest.USER_AGENT, null);
        String long1000 = "a".repeat(1010);
        full.setHeader("User-Agent", long1000);
        p.apply(full, p.capture());
        assertEquals(long1000, full.header("User-Agent"));
        assertTrue(err.toString().contains("tagalong.user-agent: the client's User-Agent leaves no room"), err.toString());
    }

    @Test
    void userAgentValuesThatWouldBreakTheElementAreRefusedByName() {
        Pipeline p = pipeline("tagalong.headers", "X-Team=m(l),X-Job-Id=n", "tagalong.user-agent", "X-Team,X-Job-Id");
        Request r = new Request(OutgoingRequest.USER_AGENT, null);
        r.setHeader("User-Agent", "okhttp/4.12.0");
        p.apply(r, p.capture());
        assertEquals("okhttp/4.12.0 tagalong (job-id=n)", r.header("User-Agent"));
        assertEquals("m(l)", r.header("X-Team")); // the header itself is fine
        assertTrue(err.toString().contains("tagalong.user-agent: the value of X-Team refused"), err.toString());
        assertFalse(err.toString().contains("m(l)"));
    }

    @Test
    void anSdkLayerKeepsTheElementForLater() {
        Pipeline p = pipeline("tagalong.headers", "X-Team=ml", "tagalong.user-agent", "X-Team");
        Request r = new Request(SDK_S3, null);
        r.defers = true;
        p.apply(r, p.capture());
        assertNull(r.header("User-Agent"));
        assertEquals("aws-sdk-java/2.40.2 ua/2.1 tagalong (team=ml)", r.deferred.appendTo("aws-sdk-java/2.40.2 ua/2.1"));
        assertNull(r.deferred.appendTo("x tagalong (team=ml)"));
    }

    @Test
    void gcsAuditHeadersAtMostFourWithinTheLimitsOnlyWhereOffered() {
        String five = "X-A=1,X-B=2,X-C=" + "c".repeat(1201) + ",X-D=4,X-E=5,X-F=6";
        Pipeline p = pipeline("tagalong.headers", five, "tagalong.gcs.audit", "X-A,X-B,X-C,X-D,X-E,X-F");
        Request r = new Request(GCS, null);
        p.apply(r, p.capture());
        assertEquals("1", r.header("x-goog-custom-audit-a"));
        assertEquals("2", r.header("x-goog-custom-audit-b"));
        assertNull(r.header("x-goog-custom-audit-c")); // over 1,200 characters
        assertEquals("4", r.header("x-goog-custom-audit-d"));
        assertEquals("5", r.header("x-goog-custom-audit-e"));
        assertNull(r.header("x-goog-custom-audit-f")); // the fifth that applies
        assertTrue(err.toString().contains("tagalong.gcs.audit: x-goog-custom-audit-c refused: value longer than 1200"), err.toString());
        assertTrue(err.toString().contains("tagalong.gcs.audit: x-goog-custom-audit-f left out: at most 4"), err.toString());

        Request plain = new Request(OutgoingRequest.USER_AGENT, null);
        p.apply(plain, p.capture());
        assertNull(plain.header("x-goog-custom-audit-a"));
        Request signedUrl = new Request(GCS, "X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=00");
        p.apply(signedUrl, p.capture());
        assertNull(signedUrl.header("x-goog-custom-audit-a"));
    }

    @Test
    void gcsAuditNamesLongerThanTheLimitAreRefusedAtStartAndTheSelfCheckShowsTheCarriers() {
        Config c = Config.load(Map.of("tagalong.gcs.audit", "X-Team,X-" + "k".repeat(45), "tagalong.user-agent", "X-Team"),
                Collections.emptyMap());
        assertEquals(1, c.problems().size(), c.problems().toString());
        assertTrue(c.problems().get(0).startsWith("tagalong.gcs.audit: entry 2 ignored"), c.problems().toString());
        assertTrue(c.describe().contains("tagalong.gcs.audit = X-Team -> x-goog-custom-audit-team   (system property)"), c.describe().toString());
        assertTrue(c.describe().contains("tagalong.user-agent = X-Team -> team   (system property)"), c.describe().toString());
        assertTrue(c.describe().contains("tagalong.s3.log-params = (empty)   (default)"), c.describe().toString());
    }
}
