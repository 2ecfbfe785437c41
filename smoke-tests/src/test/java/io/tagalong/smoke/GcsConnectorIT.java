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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * The Cloud Storage connector for Hadoop as its shaded jar ships it (gcs-connector 4.0.0 {@code shaded}: its
 * google-http-client, google-cloud-storage and gRPC relocated under {@code com.google.cloud.hadoop.repackaged.gcs.}),
 * its {@code GoogleHadoopFileSystem} writing and reading an object, unauthenticated: over the JSON API against
 * WireMock, once at 127.0.0.1 (only the relocated google-http-client layer can know these are GCS requests) and once
 * as storage.googleapis.com (HttpURLConnection below would inject too); over gRPC against a real gRPC Storage server.
 * JDK 17 only: Hadoop 3.4.1 stops on JDK 25 in {@code UserGroupInformation} ({@code getSubject is not supported}),
 * with or without the agent.
 */
class GcsConnectorIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();
    @RegisterExtension static final GrpcStorageServer grpc = new GrpcStorageServer();

    static final String APP = "gcs-connector";
    static final String JOB = "io.tagalong.smoke.gcsconnector.GcsConnectorJob";
    static final String BUCKET = "tagalong-bucket";
    static final String GCS_HOST = "storage.googleapis.com";
    static final String HEADERS = "X-Team=ml,x-goog-meta-team=ml";
    /** The object the job writes (the connector checks the CRC32C the server answers) and the one it reads. */
    static final String WRITTEN = "hello connector", EXISTING = "hello existing";
    /** What GcsConnectorJob http sends per endpoint: create (checks, resumable upload), then open and read. */
    static final List<String> EXPECTED_CALLS = List.of(
            "GET /storage/v1/b/tagalong-bucket/o/connector",
            "GET /storage/v1/b/tagalong-bucket/o",
            "GET /storage/v1/b/tagalong-bucket/o/connector%2Fpart-0.txt",
            "POST /upload/storage/v1/b/tagalong-bucket/o resumable",
            "PUT /upload/storage/v1/b/tagalong-bucket/o resumable",
            "GET /storage/v1/b/tagalong-bucket/o/existing.txt",
            "GET /download/storage/v1/b/tagalong-bucket/o/existing.txt media");
    /** What GcsConnectorJob grpc makes. */
    static final List<String> EXPECTED_RPCS = List.of(
            "google.storage.v2.Storage/GetBucket",
            "google.storage.v2.Storage/WriteObject",
            "google.storage.v2.Storage/ReadObject",
            "google.storage.v2.Storage/GetObject");

    @BeforeEach
    void stubJsonApi() {
        WireMockServer wm = storage.wiremock();
        String object = "{\"kind\":\"storage#object\",\"bucket\":\"" + BUCKET + "\",\"name\":\"%s\",\"size\":\"%d\",\"generation\":\"1\","
                + "\"metageneration\":\"1\",\"crc32c\":\"%s\"}";
        wm.stubFor(get(urlPathMatching("/storage/v1/b/" + BUCKET + "/o/.+")).atPriority(5).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json; charset=UTF-8").withBody("{\"error\":{\"code\":404,\"message\":\"No such object\"}}")));
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/" + BUCKET + "/o/existing.txt")).atPriority(2)
                .willReturn(GcsIT.json(object.formatted("existing.txt", EXISTING.length(), crc32c(EXISTING)))));
        wm.stubFor(get(urlPathMatching("(/download)?/storage/v1/b/" + BUCKET + "/o/existing.txt")).withQueryParam("alt", equalTo("media"))
                .atPriority(1).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                        .withHeader("x-goog-generation", "1")
                        .withHeader("Content-Length", String.valueOf(EXISTING.length())).withBody(EXISTING)));
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/" + BUCKET + "/o")).willReturn(GcsIT.json("{\"kind\":\"storage#objects\"}")));
        wm.stubFor(post(urlPathEqualTo("/upload/storage/v1/b/" + BUCKET + "/o")).withQueryParam("uploadType", equalTo("resumable"))
                .willReturn(aResponse().withStatus(200).withTransformers("response-template").withHeader("Location",
                        "{{request.baseUrl}}/upload/storage/v1/b/" + BUCKET + "/o?uploadType=resumable&upload_id=connector-upload")));
        wm.stubFor(put(urlPathEqualTo("/upload/storage/v1/b/" + BUCKET + "/o")).withQueryParam("upload_id", equalTo("connector-upload"))
                .willReturn(GcsIT.json(object.formatted("connector/part-0.txt", WRITTEN.length(), crc32c(WRITTEN)))));
    }

    /**
     * Every request of the relocated JSON API client carries the headers once, the x-goog-* one and the job's scope
     * (captured on the job's thread; the upload is made on the connector's upload thread) among them, on both hosts;
     * so does every Storage RPC of the relocated gRPC client, as metadata.
     */
    @Test
    void everyRequestOfTheRelocatedClientsCarriesTheHeadersOnce() {
        ChildResult result = runJob(ChildJvm.withAgent(jdk17()).property("tagalong.headers", HEADERS).property("tagalong.debug", "true"));

        // No silent misses: the debug output names each copy and its classes instrumented.
        String prefix = "com/google/cloud/hadoop/repackaged/gcs/", dotted = prefix.replace('/', '.');
        assertThat(result.stderr()).as("agent log")
                .containsOnlyOnce("[tagalong] DEBUG google-http-client relocated under " + prefix + ": found, instrumenting its classes as they load")
                .contains("[tagalong] DEBUG google-http-client relocated under " + prefix + ": instrumented " + dotted + "com.google.api.client.http.HttpRequest")
                .containsOnlyOnce("[tagalong] DEBUG grpc relocated under " + prefix + ": found, instrumenting its classes as they load")
                .contains("[tagalong] DEBUG grpc relocated under " + prefix + ": instrumented " + dotted + "io.grpc.internal.ManagedChannelImplBuilder");

        assertAll(Stream.concat(
                Stream.of("127.0.0.1", GCS_HOST).flatMap(host -> storage.receivedOn(host).stream().map(request -> (Executable) () -> {
                    assertHeaderOnce(request, "X-Team", "ml");
                    assertHeaderOnce(request, "x-goog-meta-team", "ml");
                    assertHeaderOnce(request, "X-Job", "nightly");
                })),
                grpc.calls().stream().map(call -> (Executable) () -> {
                    assertThat(call.values("x-team")).as("%s", call).containsExactly("ml");
                    assertThat(call.values("x-goog-meta-team")).as("%s", call).containsExactly("ml");
                    assertThat(call.values("x-job")).as("%s", call).containsExactly("nightly");
                })));
    }

    @Test
    void withoutTheAgentNoRequestCarriesThem() {
        runJob(ChildJvm.withoutAgent(jdk17()).property("tagalong.headers", HEADERS));

        assertAll(Stream.concat(
                Stream.of("127.0.0.1", GCS_HOST).flatMap(host -> storage.receivedOn(host).stream().map(request -> (Executable) () -> {
                    assertNoHeader(request, "X-Team");
                    assertNoHeader(request, "x-goog-meta-team");
                    assertNoHeader(request, "X-Job");
                })),
                grpc.calls().stream().map(call -> (Executable) () -> {
                    assertThat(call.values("x-team")).as("%s", call).isEmpty();
                    assertThat(call.values("x-goog-meta-team")).as("%s", call).isEmpty();
                    assertThat(call.values("x-job")).as("%s", call).isEmpty();
                })));
    }

    private static Jdk jdk17() {
        return Jdk.all().filter(jdk -> jdk.feature() == 17).findFirst().orElseThrow();
    }

    /**
     * GcsConnectorJob http against WireMock at 127.0.0.1 and as storage.googleapis.com, then grpc against the gRPC
     * server; every expected call arrived.
     */
    private static ChildResult runJob(ChildJvm child) {
        ChildResult result = child.app(APP).hostsOnLoopback(GCS_HOST)
                .run(JOB, "http", storage.url(""), storage.urlOn(GCS_HOST, ""), "grpc", grpc.target())
                .assertCleanRun();
        assertThat(grpc.calls().stream().map(GrpcStorageServer.Call::method).toList()).as("RPCs received\n%s", result)
                .containsExactlyElementsOf(EXPECTED_RPCS);
        for (String host : List.of("127.0.0.1", GCS_HOST)) {
            assertThat(storage.receivedOn(host).stream().map(GcsIT::call).toList()).as("calls received for %s\n%s", host, result)
                    .containsExactlyInAnyOrderElementsOf(EXPECTED_CALLS);
        }
        return result;
    }

    /** The JSON API's crc32c: base64 of the big-endian CRC32C. */
    private static String crc32c(String content) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
