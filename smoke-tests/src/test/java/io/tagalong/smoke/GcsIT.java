package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Google Cloud Storage client (HTTP/JSON, google-http-client over HttpURLConnection) against WireMock playing
 * the JSON API, once at 127.0.0.1 (a host no target names: only the SDK layer can know these are GCS requests) and
 * once as storage.googleapis.com (where HttpURLConnection below would inject too: the header must still arrive once).
 */
class GcsIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    static final String APP = "gcs-2";
    static final String JOB = "io.tagalong.smoke.gcs.GcsJob";
    static final String BUCKET = "tagalong-bucket";
    static final String GCS_HOST = "storage.googleapis.com";
    static final String HEADERS = "X-Team=ml,x-goog-meta-team=ml";
    static final int CHUNK = 256 * 1024;
    static final int RESUMABLE_SIZE = 2 * CHUNK + 1000;

    /** What GcsJob sdk sends per endpoint: method, path and upload type or media download. */
    static final List<String> EXPECTED_CALLS = List.of(
            "GET /storage/v1/b/tagalong-bucket",
            "POST /upload/storage/v1/b/tagalong-bucket/o multipart",
            "POST /upload/storage/v1/b/tagalong-bucket/o resumable",
            "PUT /upload/storage/v1/b/tagalong-bucket/o resumable",
            "PUT /upload/storage/v1/b/tagalong-bucket/o resumable",
            "PUT /upload/storage/v1/b/tagalong-bucket/o resumable",
            "GET /download/storage/v1/b/tagalong-bucket/o/direct.txt media",
            "GET /download/storage/v1/b/tagalong-bucket/o/direct.txt media",
            "GET /storage/v1/b/tagalong-bucket/o/direct.txt",
            "GET /storage/v1/b/tagalong-bucket/o");

    @BeforeEach
    void stubJsonApi() {
        WireMockServer wm = storage.wiremock();
        String object = "{\"kind\":\"storage#object\",\"bucket\":\"" + BUCKET + "\",\"name\":\"%s\",\"size\":\"%d\",\"generation\":\"1\"}";
        String direct = object.formatted("direct.txt", 9);
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/" + BUCKET))
                .willReturn(json("{\"kind\":\"storage#bucket\",\"name\":\"" + BUCKET + "\",\"id\":\"" + BUCKET + "\"}")));
        wm.stubFor(post(urlPathEqualTo("/upload/storage/v1/b/" + BUCKET + "/o")).withQueryParam("uploadType", equalTo("multipart"))
                .willReturn(json(direct)));
        // Resumable: the session URL on the host the request came to, then two 308s and the final 200.
        wm.stubFor(post(urlPathEqualTo("/upload/storage/v1/b/" + BUCKET + "/o")).withQueryParam("uploadType", equalTo("resumable"))
                .willReturn(aResponse().withStatus(200).withTransformers("response-template").withHeader("Location",
                        "{{request.baseUrl}}/upload/storage/v1/b/" + BUCKET + "/o?uploadType=resumable&upload_id=tagalong-upload")));
        wm.stubFor(chunk("bytes 0-" + (CHUNK - 1) + "/*").willReturn(aResponse().withStatus(308).withHeader("Range", "bytes=0-" + (CHUNK - 1))));
        wm.stubFor(chunk("bytes " + CHUNK + "-" + (2 * CHUNK - 1) + "/*")
                .willReturn(aResponse().withStatus(308).withHeader("Range", "bytes=0-" + (2 * CHUNK - 1))));
        wm.stubFor(chunk("bytes " + 2 * CHUNK + "-" + (RESUMABLE_SIZE - 1) + "/" + RESUMABLE_SIZE)
                .willReturn(json(object.formatted("resumable.bin", RESUMABLE_SIZE))));
        wm.stubFor(get(urlPathMatching("(/download)?/storage/v1/b/" + BUCKET + "/o/direct.txt")).withQueryParam("alt", equalTo("media"))
                .atPriority(1).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                        .withHeader("x-goog-generation", "1").withBody("hello gcs")));
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/" + BUCKET + "/o/direct.txt")).atPriority(2).willReturn(json(direct)));
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/" + BUCKET + "/o"))
                .willReturn(json("{\"kind\":\"storage#objects\",\"items\":[" + direct + "]}")));
    }

    /** The tested version, and the ends of the supported range: the oldest claimed, the newest libraries-bom. */
    static Stream<Arguments> versions() {
        return Stream.of(APP, "gcs-2-oldest", "gcs-2-newest").flatMap(app -> Jdk.all().map(jdk -> Arguments.of(app, jdk)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("versions")
    void everyRequestOfTheStorageClientCarriesTheHeadersOnce(String app, Jdk jdk) {
        ChildResult result = runJob(ChildJvm.withAgent(jdk).property("tagalong.headers", HEADERS), app);
        assertThat(result.tagalongLines()).as("%s", result).isEmpty();

        assertAll(Stream.of("127.0.0.1", GCS_HOST).flatMap(host -> storage.receivedOn(host).stream().map(request -> () -> {
            assertHeaderOnce(request, "X-Team", "ml");
            assertHeaderOnce(request, "x-goog-meta-team", "ml");
            assertHeaderOnce(request, "X-Job", "nightly"); // the job's scope, captured on its thread
            // The control of carriersOnCloudStorageRequests: no carrier configured, none there.
            assertThat(auditHeaders(request)).isEmpty();
            assertThat(request.getHeader("User-Agent")).doesNotContain("tagalong (");
        })));
    }

    /**
     * tagalong.gcs.audit and tagalong.user-agent, targets=all (HttpURLConnection below is active too), one JVM: every
     * request of the storage client carries x-goog-custom-audit-* headers for the first four applying names (the
     * context holder's X-Job among them), one over 1,200 characters refused and a fifth left out, both logged by name
     * only; the User-Agent element exactly once. A V4 signed URL gets no custom audit header.
     */
    @OnEveryJdk
    void carriersOnCloudStorageRequests(Jdk jdk) {
        String long1201 = "c".repeat(1201);
        ChildResult result = ChildJvm.withAgent(jdk).app(APP)
                .property("tagalong.targets", "all")
                .property("tagalong.headers", "X-Team=ml,X-A=1,X-Long=" + long1201 + ",X-B=2,X-E=5")
                .property("tagalong.gcs.audit", "X-Team,X-Job,X-Long,X-A,X-B,X-E")
                .property("tagalong.user-agent", "X-Team,X-Job")
                .run(JOB, "sdk-signed", storage.url(""))
                .assertCleanRun();

        List<LoggedRequest> sdk = storage.receivedOn("127.0.0.1").stream().filter(r -> r.getUrl().contains("/storage/v1/")).toList();
        assertThat(sdk.stream().map(GcsIT::call).toList()).containsExactlyInAnyOrderElementsOf(EXPECTED_CALLS);
        assertAll(sdk.stream().map(request -> () -> {
            assertThat(auditHeaders(request)).as("%s", request.getUrl()).containsExactlyInAnyOrder(
                    "x-goog-custom-audit-team: ml", "x-goog-custom-audit-job: nightly",
                    "x-goog-custom-audit-a: 1", "x-goog-custom-audit-b: 2");
            String userAgent = request.getHeader("User-Agent");
            assertThat(userAgent).contains("tagalong (team=ml; job=nightly)");
            assertThat(userAgent.indexOf("tagalong (")).isEqualTo(userAgent.lastIndexOf("tagalong ("));
        }));
        for (String path : List.of("/" + BUCKET + "/signed-url-connection.txt", "/" + BUCKET + "/signed-google-http.txt")) {
            LoggedRequest signed = storage.receivedOnce(path);
            assertThat(signed.queryParameter("X-Goog-Signature").isPresent()).isTrue();
            assertThat(auditHeaders(signed)).as(path).isEmpty();
        }
        assertThat(result.tagalongLines()).as("agent log").contains(
                "[tagalong] WARN tagalong.gcs.audit: x-goog-custom-audit-long refused: value longer than 1200 characters (Cloud Storage's limit)",
                "[tagalong] WARN tagalong.gcs.audit: x-goog-custom-audit-e left out: at most 4 custom audit headers per request"
                        + " (Cloud Storage's limit); the first in the list are sent");
        assertThat(result.stderr()).doesNotContain("ccccc");
    }

    /** Every x-goog-custom-audit-* header of a request, as "name: value" (names lower-cased). */
    private static List<String> auditHeaders(LoggedRequest request) {
        return request.getHeaders().all().stream().filter(h -> h.key().toLowerCase().startsWith("x-goog-custom-audit-"))
                .flatMap(h -> h.values().stream().map(v -> h.key().toLowerCase() + ": " + v)).toList();
    }

    @OnEveryJdk
    void withTheSdkLayerOffOnlyHttpUrlConnectionInjectsAndOnlyOnTheGcsHost(Jdk jdk) {
        runJob(ChildJvm.withAgent(jdk).property("tagalong.headers", HEADERS)
                .property("tagalong.instrumentation.google-http-client.enabled", "false"));

        assertAll(Stream.concat(
                storage.receivedOn("127.0.0.1").stream().map(request -> () -> {
                    assertNoHeader(request, "X-Team");
                    assertNoHeader(request, "x-goog-meta-team");
                    assertNoHeader(request, "X-Job");
                }),
                storage.receivedOn(GCS_HOST).stream().map(request -> () -> assertHeaderOnce(request, "X-Team", "ml"))));
    }

    @OnEveryJdk
    void withoutTheAgentNoRequestCarriesThem(Jdk jdk) {
        runJob(ChildJvm.withoutAgent(jdk).property("tagalong.headers", HEADERS));

        assertAll(Stream.of("127.0.0.1", GCS_HOST).flatMap(host -> storage.receivedOn(host).stream().map(request -> () -> {
            assertNoHeader(request, "X-Team");
            assertNoHeader(request, "x-goog-meta-team");
            assertNoHeader(request, "X-Job");
        })));
    }

    /**
     * Plain google-http-client, with HttpURLConnection's own instrumentation off so only this layer acts: a redirect
     * to a host no target names loses the headers, and executeAsync carries the caller's scope to its thread.
     */
    @OnEveryJdk
    void plainGoogleHttpClientDecidesPerHopAndCarriesTheCallersScope(Jdk jdk) {
        storage.wiremock().stubFor(get("/redirect-out").willReturn(aResponse().withStatus(302)
                .withHeader("Location", storage.urlOn("localhost", "/outside"))));
        ChildJvm.withAgent(jdk).app(APP)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=ml")
                .property("tagalong.instrumentation.http-url-connection.enabled", "false")
                .run(JOB, "google-http", storage.url("/redirect-out"), storage.url("/async"))
                .assertCleanRun();

        LoggedRequest redirecting = storage.receivedOnce("127.0.0.1", "/redirect-out");
        LoggedRequest outside = storage.receivedOnce("localhost", "/outside");
        LoggedRequest async = storage.receivedOnce("127.0.0.1", "/async");
        assertAll(
                () -> assertHeaderOnce(redirecting, "X-Team", "ml"),
                () -> assertHeaderOnce(redirecting, "X-Job", "nightly"),
                () -> assertNoHeader(outside, "X-Team"),
                () -> assertNoHeader(outside, "X-Job"),
                () -> assertHeaderOnce(async, "X-Team", "ml"),
                () -> assertHeaderOnce(async, "X-Job", "nightly"));
    }

    /** A V4 signed URL covers its x-goog-* headers: the agent adds none, but plain headers still go. */
    @OnEveryJdk
    void aSignedUrlGetsPlainHeadersButNoXGoogHeader(Jdk jdk) {
        ChildResult result = ChildJvm.withAgent(jdk).app(APP)
                .property("tagalong.targets", "all")
                .property("tagalong.headers", HEADERS)
                .run(JOB, "signed", storage.url(""))
                .assertCleanRun();

        List<String> paths = List.of("/" + BUCKET + "/signed-url-connection.txt", "/" + BUCKET + "/signed-google-http.txt");
        assertAll(paths.stream().map(path -> () -> {
            LoggedRequest request = storage.receivedOnce(path);
            assertThat(request.queryParameter("X-Goog-Signature").isPresent()).as("signed URL %s", request.getUrl()).isTrue();
            assertHeaderOnce(request, "X-Team", "ml");
            assertNoHeader(request, "x-goog-meta-team");
        }));
        assertThat(result.tagalongLines()).as("agent log\n%s", result)
                .anyMatch(line -> line.contains("x-goog-meta-team") && line.contains("refused"));
    }

    /** GcsJob sdk against WireMock at 127.0.0.1 and as storage.googleapis.com; every expected call arrived. */
    private void runJob(ChildJvm child) {
        runJob(child, APP);
    }

    private ChildResult runJob(ChildJvm child, String app) {
        ChildResult result = child.app(app).hostsOnLoopback(GCS_HOST)
                .run(JOB, "sdk", storage.url(""), storage.urlOn(GCS_HOST, ""))
                .assertCleanRun();
        for (String host : List.of("127.0.0.1", GCS_HOST)) {
            assertThat(storage.receivedOn(host).stream().map(GcsIT::call).toList()).as("calls received for %s", host)
                    .containsExactlyInAnyOrderElementsOf(EXPECTED_CALLS);
        }
        return result;
    }

    /** A request as "METHOD path [upload type or alt]" (GcsConnectorIT too). */
    static String call(LoggedRequest request) {
        String kind = request.queryParameter("uploadType").isPresent() ? " " + request.queryParameter("uploadType").firstValue()
                : request.queryParameter("alt").isPresent() ? " " + request.queryParameter("alt").firstValue() : "";
        return request.getMethod() + " " + request.getUrl().replaceAll("\\?.*", "") + kind;
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder chunk(String contentRange) {
        return put(urlPathEqualTo("/upload/storage/v1/b/" + BUCKET + "/o")).withQueryParam("upload_id", equalTo("tagalong-upload"))
                .withHeader("Content-Range", equalTo(contentRange));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body);
    }
}
