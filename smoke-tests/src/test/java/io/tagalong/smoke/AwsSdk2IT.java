package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagalong.smoke.S3ProxyServer.Received;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS SDK v2 against S3Proxy with signatures verified (a wrong signature is refused), with
 * {@code tagalong.headers=X-Team=ml,x-amz-meta-team=ml}: every S3 client the SDK ships, the Transfer Manager and the
 * presigner. The headers are set in the SDK's interceptor chain before signing, so x-amz-meta-team is signed and
 * stored; the HTTP client below (HttpURLConnection, also instrumented) finds them present and adds nothing.
 */
class AwsSdk2IT {
    @RegisterExtension
    static final S3ProxyServer s3 = new S3ProxyServer();

    static final String JOB = "io.tagalong.smoke.aws2.AwsSdk2Job";
    static final String HEADERS = "X-Team=ml,x-amz-meta-team=ml";
    static final List<String> CLIENTS = List.of("apache", "urlconnection", "netty", "crt", "transfer-manager", "crt-transfer-manager");

    private ChildResult job(ChildJvm child, String... scenarios) {
        return jobWithHeaders(child, HEADERS, scenarios);
    }

    private ChildResult jobWithHeaders(ChildJvm child, String headers, String... scenarios) {
        String[] args = new String[3 + scenarios.length];
        args[0] = s3.endpoint();
        args[1] = S3ProxyServer.ACCESS_KEY;
        args[2] = S3ProxyServer.SECRET_KEY;
        System.arraycopy(scenarios, 0, args, 3, scenarios.length);
        return child.app("aws-sdk-2").property("tagalong.headers", headers).run(JOB, args);
    }

    /** targets=all: the HttpURLConnection layer below the SDK (urlconnection client, presigned URLs) is active too. */
    @OnEveryJdk
    void everyS3ClientSendsTheHeadersOnceWithXAmzMetaSignedAndStored(Jdk jdk) {
        ChildResult result = job(ChildJvm.withAgent(jdk).property("tagalong.targets", "all"),
                "apache", "urlconnection", "netty", "crt", "transfer-manager", "crt-transfer-manager", "presign", "wrong-secret");
        result.assertCleanRun();
        assertThat(result.stdout()).as("S3Proxy verifies signatures: a wrong secret is refused").contains("REFUSED wrong-secret status=403");
        // The one refusal is the presigned URLs' x-amz-meta-team at the HttpURLConnection layer; the SDK clients'
        // signed requests reach that layer with the header present and are no refusal.
        assertThat(result.tagalongLines()).filteredOn(l -> l.contains("refused"))
                .containsExactly("[tagalong] WARN header x-amz-meta-team refused: the request is already signed");

        for (String client : CLIENTS) {
            List<Received> requests = s3.receivedUnder("/" + client + "-bucket");
            assertThat(requests).as(client).hasSizeGreaterThanOrEqualTo(4);
            for (Received r : requests) {
                assertThat(r.all("X-Team")).as("X-Team on %s", r).containsExactly("ml");
                assertThat(r.all("Authorization")).as("signed: %s", r).hasSize(1);
                // The control of carriersGoWhereTheStoreRecordsThem: no carrier configured, none there.
                assertThat(r.target()).as("%s", r).doesNotContain("x-team=");
                assertThat(r.all("User-Agent")).as("%s", r).noneMatch(ua -> ua.contains("tagalong ("));
                if (!r.target().contains("uploadId=")) {
                    // The CRT client copies only part-level headers to UploadPart and Complete: x-amz-meta-* belongs to
                    // CreateMultipartUpload, where it is.
                    assertThat(r.all("x-amz-meta-team")).as("x-amz-meta-team on %s", r).containsExactly("ml");
                }
                if (!r.all("x-amz-meta-team").isEmpty()) {
                    assertThat(r.signedHeaders()).as("SignedHeaders of %s", r).contains("x-amz-meta-team", "x-team");
                }
            }
        }
        for (String client : List.of("apache", "urlconnection", "netty", "crt")) {
            assertThat(s3.storedMetadata(client + "-bucket", "single.txt")).as(client).isEqualTo(Map.of("team", "ml"));
        }
        assertThat(s3.storedMetadata("apache-bucket", "streamed.txt")).isEqualTo(Map.of("team", "ml"));
        assertThat(s3.storedMetadata("transfer-manager-bucket", "big.bin")).isEqualTo(Map.of("team", "ml"));
        assertThat(s3.storedMetadata("crt-transfer-manager-bucket", "big.bin")).isEqualTo(Map.of("team", "ml"));

        // Chunk-signed streaming upload (aws-chunked, each chunk signed) passed S3Proxy's verification with the headers.
        assertThat(s3.receivedUnder("/apache-bucket/streamed.txt")).singleElement()
                .satisfies(r -> assertThat(r.all("x-amz-content-sha256")).singleElement().asString().startsWith("STREAMING-"));
        // Every part of both Transfer Managers' multipart uploads, and every ranged part of the CRT download.
        for (String client : List.of("transfer-manager", "crt-transfer-manager")) {
            assertThat(s3.receivedUnder("/" + client + "-bucket/big.bin").stream().filter(r -> r.target().contains("partNumber=")))
                    .as(client + " parts").hasSize(3).allSatisfy(r -> assertThat(r.all("X-Team")).containsExactly("ml"));
        }
        assertThat(s3.receivedUnder("/crt-transfer-manager-bucket/big.bin").stream().filter(r -> !r.all("Range").isEmpty()))
                .hasSizeGreaterThanOrEqualTo(3);

        // The StorageHeaders scope around an async call reaches the request the client's own threads send.
        for (String client : List.of("netty", "crt")) {
            assertThat(s3.receivedUnder("/" + client + "-bucket/scoped.txt")).singleElement()
                    .satisfies(r -> assertThat(r.all("X-Scope")).containsExactly("async-1"));
            assertThat(s3.receivedUnder("/" + client + "-bucket/single.txt")).allSatisfy(r -> assertThat(r.all("X-Scope")).isEmpty());
        }

        // Presigned URLs: signed without the agent's headers; fetched with HttpURLConnection they get X-Team (a plain
        // header) but no x-amz-* (the URL is signed already), and they work.
        List<Received> presigned = s3.receivedUnder("/presign-bucket/presigned.txt");
        assertThat(presigned).extracting(Received::method).containsExactly("PUT", "GET");
        for (Received r : presigned) {
            assertThat(r.target()).contains("X-Amz-Signature=").doesNotContainIgnoringCase("x-amz-meta-team").doesNotContainIgnoringCase("x-team");
            assertThat(r.all("X-Team")).as("%s", r).containsExactly("ml");
            assertThat(r.all("x-amz-meta-team")).as("%s", r).isEmpty();
        }
        assertThat(s3.storedMetadata("presign-bucket", "presigned.txt")).isEmpty();
    }

    /** The ends of the supported range: the oldest version claimed and the newest on Maven Central. */
    static Stream<Arguments> supportedRangeEnds() {
        return Stream.of("aws-sdk-2-oldest", "aws-sdk-2-newest").flatMap(app -> Jdk.all().map(jdk -> Arguments.of(app, jdk)));
    }

    /**
     * AwsSdk2CoreJob (only API every supported version has) on each end: the sync client on Apache, the async one on
     * Netty with a scope around the call. Every request carries the headers once, signed and accepted by S3Proxy.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("supportedRangeEnds")
    void theOldestAndNewestSupportedVersionsSignTheHeaders(String app, Jdk jdk) {
        ChildResult result = ChildJvm.withAgent(jdk).app(app).property("tagalong.headers", HEADERS)
                .run("io.tagalong.smoke.aws2.AwsSdk2CoreJob", s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY,
                        "apache", "netty")
                .assertCleanRun();
        assertThat(result.tagalongLines()).as("%s", result).isEmpty();

        for (String client : List.of("apache", "netty")) {
            List<Received> requests = s3.receivedUnder("/" + client + "-bucket");
            assertThat(requests).as(client).hasSizeGreaterThanOrEqualTo(6);
            for (Received r : requests) {
                r.assertSignedOnce("X-Team", "ml");
                r.assertSignedOnce("x-amz-meta-team", "ml");
            }
            assertThat(s3.storedMetadata(client + "-bucket", "single.txt")).as(client).isEqualTo(Map.of("team", "ml"));
        }
        assertThat(s3.receivedUnder("/netty-bucket/scoped.txt")).singleElement()
                .satisfies(r -> assertThat(r.all("X-Scope")).containsExactly("async-1"));
    }

    // X-Job-Id: "nightly run/1+2&x" (encoding); X-Bad: "a(b)", which cannot go in a User-Agent comment.
    static final String CARRIED = "X-Team=ml,X-Job-Id=nightly%20run%2F1%2B2%26x,X-Bad=a(b)";
    static final String ELEMENT = "tagalong (team=ml; job-id=nightly run/1+2&x)";

    /**
     * tagalong.s3.log-params and tagalong.user-agent on every S3 client, targets=all (the HTTP layers below are
     * active too): each request carries x-team and x-job-id in its request line, percent-encoded as SigV4 wants
     * (S3Proxy verifies the signature over them: the job fails on any refused call), and the User-Agent element exactly
     * once; presigned URLs keep their query as signed. The first test of this class is the control (none configured).
     */
    @OnEveryJdk
    void carriersGoWhereTheStoreRecordsThem(Jdk jdk) {
        ChildResult result = jobWithHeaders(ChildJvm.withAgent(jdk).property("tagalong.targets", "all")
                        .property("tagalong.s3.log-params", "X-Team,X-Job-Id").property("tagalong.user-agent", "X-Team,X-Bad,X-Job-Id"),
                CARRIED, "apache", "urlconnection", "netty", "crt", "transfer-manager", "crt-transfer-manager", "presign", "wrong-secret");
        result.assertCleanRun();
        assertThat(result.stdout()).contains("REFUSED wrong-secret status=403");
        assertThat(result.tagalongLines()).noneMatch(l -> l.contains("nightly") || l.contains("a(b)"))
                .contains("[tagalong] WARN tagalong.user-agent: the value of X-Bad refused: contains ( ) \\ or ;, which would end or split the User-Agent element");

        for (String client : CLIENTS) {
            List<Received> requests = s3.receivedUnder("/" + client + "-bucket");
            assertThat(requests).as(client).hasSizeGreaterThanOrEqualTo(4);
            for (Received r : requests) {
                assertThat(r.target()).as("%s", r).contains("x-team=ml").contains("x-job-id=nightly%20run%2F1%2B2%26x");
                assertThat(r.target().split("x-team=", -1)).as("x-team once in %s", r).hasSize(2);
                assertThat(r.all("User-Agent")).as("%s", r).singleElement().satisfies(ua -> {
                    assertThat(ua).contains(ELEMENT);
                    assertThat(ua.indexOf("tagalong (")).isEqualTo(ua.lastIndexOf("tagalong ("));
                    assertThat(ua.length()).isLessThanOrEqualTo(1024);
                });
                assertThat(r.all("X-Team")).as("%s", r).containsExactly("ml");
            }
        }
        // Presigned URLs: their query is as the presigner signed it; fetched with HttpURLConnection (signed headers:
        // host only) they may carry the User-Agent element.
        List<Received> presigned = s3.receivedUnder("/presign-bucket/presigned.txt");
        assertThat(presigned).extracting(Received::method).containsExactly("PUT", "GET");
        for (Received r : presigned) {
            assertThat(r.target()).contains("X-Amz-Signature=").doesNotContain("x-team").doesNotContain("x-job-id");
            assertThat(r.all("User-Agent")).singleElement().asString().contains(ELEMENT);
        }
    }

    /** Default targets (s3,gcs): an S3 client is a storage client whatever its endpoint; another service's is not. */
    @OnEveryJdk
    void s3ClientsAreStorageClientsAtAnyEndpointOtherServicesGetNothing(Jdk jdk) {
        job(ChildJvm.withAgent(jdk), "apache", "sts").assertCleanRun();

        assertThat(s3.receivedUnder("/apache-bucket")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.all("X-Team")).as("%s", r).containsExactly("ml"));
        List<Received> sts = s3.received().stream().filter(r -> r.signedHeaders().size() > 0
                && r.all("Authorization").get(0).contains("/sts/aws4_request")).toList();
        assertThat(sts).singleElement().satisfies(r -> {
            assertThat(r.all("X-Team")).isEmpty();
            assertThat(r.all("x-amz-meta-team")).isEmpty();
        });
    }

    /**
     * Targets naming only the endpoint (no {@code s3}): the S3 client's endpoint matches the URL prefix, so the SDK
     * layer still injects before signing; a layer below could only add unsigned plain headers.
     */
    @OnEveryJdk
    void anEndpointNamedByUrlPrefixIsInjectedAtTheSdkLayerBeforeSigning(Jdk jdk) {
        job(ChildJvm.withAgent(jdk).property("tagalong.targets", s3.endpoint() + "/"), "apache").assertCleanRun();

        assertThat(s3.receivedUnder("/apache-bucket")).isNotEmpty().allSatisfy(r -> {
            assertThat(r.all("x-amz-meta-team")).as("%s", r).containsExactly("ml");
            assertThat(r.signedHeaders()).as("SignedHeaders of %s", r).contains("x-amz-meta-team", "x-team");
        });
        assertThat(s3.storedMetadata("apache-bucket", "single.txt")).containsEntry("team", "ml");
    }

    /**
     * The audit sees each request once: the SDK layer audits it, and the HTTP client below (Apache, HttpURLConnection,
     * also storage requests with targets=all) recognises it and does not count it again.
     */
    @OnEveryJdk
    void everyRequestIsAuditedOnceAtTheSdkLayer(Jdk jdk, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        job(ChildJvm.withAgent(jdk).property("tagalong.targets", "all").property("tagalong.required", "X-Team,X-Missing")
                .property("tagalong.audit.all", "true").property("tagalong.audit.file", file.toString()),
                "apache", "urlconnection").assertCleanRun();

        List<String> lines = Files.readAllLines(file);
        assertThat(s3.received()).hasSizeGreaterThanOrEqualTo(8);
        assertThat(lines).as("one line per request S3Proxy received").hasSize(s3.received().size())
                .allMatch(line -> line.contains("\"instrumentation\":\"aws-sdk-2\""))
                .allMatch(line -> line.contains("\"missing\":[\"X-Missing\"],\"set\":[\"X-Team\",\"x-amz-meta-team\"]"));
    }

    /** The control: with the instrumentation switched off the same job sends nothing of ours. */
    @OnEveryJdk
    void switchedOffItAddsNothing(Jdk jdk) {
        job(ChildJvm.withAgent(jdk).property("tagalong.instrumentation.aws-sdk-2.enabled", "false"), "apache").assertCleanRun();

        assertThat(s3.receivedUnder("/apache-bucket")).isNotEmpty().allSatisfy(r -> {
            assertThat(r.all("X-Team")).as("%s", r).isEmpty();
            assertThat(r.all("x-amz-meta-team")).as("%s", r).isEmpty();
        });
        assertThat(s3.storedMetadata("apache-bucket", "single.txt")).isEmpty();
    }
}
