package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagalong.smoke.S3ProxyServer.Received;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AWS SDK v1 against S3Proxy with signatures verified (a wrong signature is refused), with
 * {@code tagalong.headers=X-Team=ml,x-amz-meta-team=ml}: AmazonS3 built with the builder and with the constructor,
 * the TransferManager, presigned URLs. The headers are set before the request handlers and the signer run, so
 * x-amz-meta-team is signed and stored.
 */
class AwsSdk1IT {
    @RegisterExtension
    static final S3ProxyServer s3 = new S3ProxyServer();

    static final String JOB = "io.tagalong.smoke.aws1.AwsSdk1Job";
    static final String HEADERS = "X-Team=ml,x-amz-meta-team=ml";

    private ChildResult job(ChildJvm child, String... scenarios) {
        return jobWithHeaders(child, HEADERS, scenarios);
    }

    private ChildResult jobWithHeaders(ChildJvm child, String headers, String... scenarios) {
        return jobOn("aws-sdk-1", child, headers, scenarios);
    }

    private ChildResult jobOn(String app, ChildJvm child, String headers, String... scenarios) {
        String[] args = new String[3 + scenarios.length];
        args[0] = s3.endpoint();
        args[1] = S3ProxyServer.ACCESS_KEY;
        args[2] = S3ProxyServer.SECRET_KEY;
        System.arraycopy(scenarios, 0, args, 3, scenarios.length);
        return child.app(app).property("tagalong.headers", headers).run(JOB, args);
    }

    /** The tested version, and the ends of the supported range: the oldest claimed, the newest on Maven Central. */
    static Stream<Arguments> versions() {
        return Stream.of("aws-sdk-1", "aws-sdk-1-oldest", "aws-sdk-1-newest")
                .flatMap(app -> Jdk.all().map(jdk -> Arguments.of(app, jdk)));
    }

    /** Default targets (s3,gcs): an S3 client is a storage client whatever its endpoint. */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("versions")
    void everyS3ClientSendsTheHeadersOnceWithXAmzMetaSignedAndStored(String app, Jdk jdk) {
        ChildResult result = jobOn(app, ChildJvm.withAgent(jdk), HEADERS, "builder", "constructor", "transfer-manager", "wrong-secret");
        result.assertCleanRun();
        assertThat(result.stdout()).as("S3Proxy verifies signatures: a wrong secret is refused").contains("REFUSED wrong-secret status=403");
        assertThat(result.tagalongLines()).as("%s", result).isEmpty();

        for (String client : List.of("builder", "constructor", "transfer-manager")) {
            List<Received> requests = s3.receivedUnder("/" + client + "-bucket");
            assertThat(requests).as(client).hasSizeGreaterThanOrEqualTo(4);
            for (Received r : requests) {
                r.assertSignedOnce("X-Team", "ml");
                r.assertSignedOnce("x-amz-meta-team", "ml");
                // The control of carriersGoWhereTheStoreRecordsThem: no carrier configured, none there.
                assertThat(r.target()).as("%s", r).doesNotContain("x-team=");
                assertThat(r.all("User-Agent")).as("%s", r).noneMatch(ua -> ua.contains("tagalong ("));
            }
        }
        for (String client : List.of("builder", "constructor")) {
            assertThat(s3.storedMetadata(client + "-bucket", "single.txt")).as(client).isEqualTo(Map.of("team", "ml"));
            assertThat(s3.storedMetadata(client + "-bucket", "streamed.txt")).as(client).isEqualTo(Map.of("team", "ml"));
            // Chunk-signed streaming upload (aws-chunked, each chunk signed) passed S3Proxy's verification.
            assertThat(s3.receivedUnder("/" + client + "-bucket/streamed.txt")).singleElement()
                    .satisfies(r -> assertThat(r.all("x-amz-content-sha256")).singleElement().asString().startsWith("STREAMING-"));
            assertThat(s3.receivedUnder("/" + client + "-bucket/scoped.txt")).singleElement()
                    .satisfies(r -> assertThat(r.all("X-Scope")).containsExactly("v1-1"));
            assertThat(s3.receivedUnder("/" + client + "-bucket/single.txt")).allSatisfy(r -> assertThat(r.all("X-Scope")).isEmpty());
        }
        assertThat(s3.storedMetadata("transfer-manager-bucket", "big.bin")).isEqualTo(Map.of("team", "ml"));
        assertThat(s3.receivedUnder("/transfer-manager-bucket/big.bin").stream().filter(r -> r.target().contains("partNumber=")))
                .as("every part of the TransferManager's multipart upload").hasSize(3);
    }

    /**
     * targets=all, so the HTTP layers below are active too. The SDK's Apache HttpClient 4 (instrumented) finds the
     * headers present and adds nothing. Presigned URLs never pass the request path the agent patches: signed without
     * its headers. Fetched with HttpURLConnection they get X-Team (plain) but no x-amz-* (the URL is signed), and work.
     */
    @OnEveryJdk
    void belowTheSdkNothingIsAddedTwiceAndPresignedUrlsCarryNoXAmzHeaderFromTheAgent(Jdk jdk) {
        ChildResult result = job(ChildJvm.withAgent(jdk).property("tagalong.targets", "all"), "builder", "presign");
        result.assertCleanRun();
        // The one refusal is the presigned URLs' x-amz-meta-team at the HttpURLConnection layer.
        assertThat(result.tagalongLines()).filteredOn(l -> l.contains("refused"))
                .containsExactly("[tagalong] WARN header x-amz-meta-team refused: the request is already signed");
        assertThat(s3.receivedUnder("/builder-bucket")).hasSizeGreaterThanOrEqualTo(4).allSatisfy(r -> {
            assertThat(r.all("X-Team")).as("%s", r).containsExactly("ml");
            assertThat(r.all("x-amz-meta-team")).as("%s", r).containsExactly("ml");
            assertThat(r.signedHeaders()).as("%s", r).contains("x-amz-meta-team", "x-team");
        });

        List<Received> presigned = s3.receivedUnder("/presign-bucket/presigned.txt");
        assertThat(presigned).extracting(Received::method).containsExactly("PUT", "GET");
        for (Received r : presigned) {
            assertThat(r.target()).contains("X-Amz-Signature=").contains("X-Amz-SignedHeaders=host&");
            assertThat(r.all("X-Team")).as("%s", r).containsExactly("ml");
            assertThat(r.all("x-amz-meta-team")).as("%s", r).isEmpty();
        }
        assertThat(s3.storedMetadata("presign-bucket", "presigned.txt")).isEmpty();
    }

    /**
     * tagalong.s3.log-params and tagalong.user-agent, targets=all: every v1 request (builder, constructor, every part
     * of the TransferManager's upload) carries x-team and x-job-id in its request line, percent-encoded, and the
     * User-Agent element exactly once; the v1 signer signs both (user-agent is in its SignedHeaders) and S3Proxy
     * accepts them. Presigned URLs keep their query as signed. The first test of this class is the control.
     */
    @OnEveryJdk
    void carriersGoWhereTheStoreRecordsThem(Jdk jdk) {
        ChildResult result = jobWithHeaders(ChildJvm.withAgent(jdk).property("tagalong.targets", "all")
                        .property("tagalong.s3.log-params", "X-Team,X-Job-Id").property("tagalong.user-agent", "X-Team,X-Job-Id"),
                AwsSdk2IT.CARRIED, "builder", "constructor", "transfer-manager", "presign", "wrong-secret");
        result.assertCleanRun();
        assertThat(result.stdout()).contains("REFUSED wrong-secret status=403");
        for (String client : List.of("builder", "constructor", "transfer-manager")) {
            List<Received> requests = s3.receivedUnder("/" + client + "-bucket");
            assertThat(requests).as(client).hasSizeGreaterThanOrEqualTo(4);
            for (Received r : requests) {
                // v1 writes a space in the URL as '+' (form encoding); its signer canonicalises it as %20.
                assertThat(r.target()).as("%s", r).contains("x-team=ml").contains("x-job-id=nightly+run%2F1%2B2%26x");
                assertThat(r.target().split("x-team=", -1)).as("x-team once in %s", r).hasSize(2);
                assertThat(r.all("User-Agent")).as("%s", r).singleElement().satisfies(ua -> {
                    assertThat(ua).contains(AwsSdk2IT.ELEMENT);
                    assertThat(ua.indexOf("tagalong (")).isEqualTo(ua.lastIndexOf("tagalong ("));
                });
                assertThat(r.signedHeaders()).as("%s", r).contains("user-agent");
            }
        }
        assertThat(s3.receivedUnder("/transfer-manager-bucket/big.bin").stream().filter(r -> r.target().contains("partNumber=")))
                .hasSize(3).allSatisfy(r -> assertThat(r.target()).contains("x-team=ml"));
        for (Received r : s3.receivedUnder("/presign-bucket/presigned.txt")) {
            assertThat(r.target()).contains("X-Amz-Signature=").doesNotContain("x-team").doesNotContain("x-job-id");
        }
    }

    /** The control: with the instrumentation switched off the same job sends nothing of ours. */
    @OnEveryJdk
    void switchedOffItAddsNothing(Jdk jdk) {
        job(ChildJvm.withAgent(jdk).property("tagalong.instrumentation.aws-sdk-1.enabled", "false"), "builder").assertCleanRun();

        assertThat(s3.receivedUnder("/builder-bucket")).isNotEmpty().allSatisfy(r -> {
            assertThat(r.all("X-Team")).as("%s", r).isEmpty();
            assertThat(r.all("x-amz-meta-team")).as("%s", r).isEmpty();
        });
        assertThat(s3.storedMetadata("builder-bucket", "single.txt")).isEmpty();
    }
}
