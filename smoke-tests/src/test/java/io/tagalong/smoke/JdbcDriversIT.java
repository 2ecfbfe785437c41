package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.tagalong.smoke.S3ProxyServer.Received;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JDBC drivers that carry their own relocated copies of the storage clients, each driving the storage path the
 * driver itself uses (its own classes, built its own way) against S3Proxy with signatures checked behind the
 * recorder. One child JVM with the agent ({@code tagalong.headers} with a plain and an {@code x-amz-meta-*} header,
 * {@code tagalong.debug}) and, at the same time, the same job without it (the control, its own bucket):
 * <ul>
 *   <li>snowflake-jdbc 3.28.0: PUT and GET on an S3 stage through its AWS SDK v1 and httpclient 4 under
 *       {@code net/snowflake/client/jdbc/internal/};</li>
 *   <li>snowflake-jdbc 4.4.1: the same through its AWS SDK v2 {@code S3AsyncClient} on Netty, same prefix;</li>
 *   <li>databricks-jdbc 3.4.5: volume transfers to presigned S3 URLs through its httpclient 4 and 5 under
 *       {@code com/databricks/internal/}, the workspace's Files API played by WireMock.</li>
 * </ul>
 * The SDK layers add both headers before signing (both in SignedHeaders, the metadata stored); on presigned URLs the
 * {@code x-amz-*} header is refused and the plain one still arrives. Debug output names each relocated copy.
 */
class JdbcDriversIT {
    @RegisterExtension
    static final S3ProxyServer s3 = new S3ProxyServer();

    @RegisterExtension
    static final StorageServer workspace = new StorageServer();

    static final String HEADERS = "X-Team=ml,x-amz-meta-team=ml";
    static final String SNOWFLAKE_PREFIX = "net/snowflake/client/jdbc/internal/";
    static final String DATABRICKS_PREFIX = "com/databricks/internal/";
    /** The file that the 4.x job reads back (the store's copy; its own PUT is refused, see SnowflakeStageJob). */
    static final String SEEDED = "id,team\n1,ml\n2,ads\n";

    @OnEveryJdk
    void snowflake3PutsAndGetsThroughItsRelocatedSdkV1(Jdk jdk) {
        ChildResult[] runs = snowflake(jdk, "snowflake-jdbc-3", "io.tagalong.smoke.snowflake3.SnowflakeStageJob", false);
        ChildResult result = runs[0];
        assertThat(result.stdout()).contains("PUT data.csv ok", "HEAD stage/data.csv length=", "LIST stage/ objects=1",
                "GET stage/data.csv decrypted and unzipped as uploaded", "ALL OK");
        List<Received> requests = s3.receivedUnder("/sf-agent");
        assertThat(requests).extracting(Received::method).contains("PUT", "HEAD", "GET");
        requests.forEach(JdbcDriversIT::carriesBothSigned);
        assertThat(s3.storedMetadata("sf-agent", "stage/data.csv")).containsEntry("team", "ml").containsKey("sfc-digest");
        assertThat(result.tagalongLines()).anyMatch(l -> l.contains("aws-sdk-1 relocated under " + SNOWFLAKE_PREFIX))
                .noneMatch(l -> l.contains("refused"));

        carriesNone(runs[1], "/sf-control");
        assertThat(s3.storedMetadata("sf-control", "stage/data.csv")).doesNotContainKey("team");
    }

    /**
     * snowflake-jdbc 4.x asks for a CRC32 checksum on every S3 upload, which its SDK v2 sends as an aws-chunked body
     * with an unsigned trailer; S3Proxy 2.6.0 cannot read that framing and answers 400 before checking the signature,
     * with or without the agent. That PUT is checked for the headers and their signing all the same.
     */
    @OnEveryJdk
    void snowflake4PutsAndGetsThroughItsRelocatedSdkV2OnNetty(Jdk jdk) {
        ChildResult[] runs = snowflake(jdk, "snowflake-jdbc-4", "io.tagalong.smoke.snowflake4.SnowflakeStageJob", true);
        ChildResult result = runs[0];
        assertThat(result.stdout()).contains("PUT data.csv refused: status=400", "HEAD stage/seeded.csv length=19",
                "LIST stage/ objects=1", "GET stage/seeded.csv as stored", "ALL OK");
        assertThat(runs[1].stdout()).contains("PUT data.csv refused: status=400");
        List<Received> requests = s3.receivedUnder("/sf-agent");
        assertThat(requests).extracting(Received::method).contains("PUT", "HEAD", "GET");
        requests.forEach(JdbcDriversIT::carriesBothSigned);
        assertThat(s3.receivedUnder("/sf-agent/stage/data.csv")).singleElement()
                .satisfies(put -> assertThat(put.all("x-amz-trailer")).containsExactly("x-amz-checksum-crc32"));
        assertThat(result.tagalongLines()).anyMatch(l -> l.contains("aws-sdk-2 relocated under " + SNOWFLAKE_PREFIX))
                .noneMatch(l -> l.contains("refused"));

        carriesNone(runs[1], "/sf-control");
    }

    @OnEveryJdk
    void databricksVolumesThroughItsRelocatedHttpClients4And5(Jdk jdk) {
        String s3Host = "s3.us-east-1.amazonaws.com:" + s3.endpoint().substring(s3.endpoint().lastIndexOf(':') + 1);
        WireMock api = new WireMock(workspace.port());
        // The SDK's PAT auth looks for OpenID endpoints first; a workspace has them.
        api.register(get(urlPathEqualTo("/oidc/.well-known/oauth-authorization-server")).willReturn(okJson(
                "{\"authorization_endpoint\":\"" + workspace.url("/oidc/v1/authorize") + "\",\"token_endpoint\":\""
                        + workspace.url("/oidc/v1/token") + "\"}")));
        api.register(WireMock.any(anyUrl()).atPriority(9).willReturn(aResponse().withStatus(404)));
        for (String volume : List.of("agent", "control")) {
            s3.createBucket("db-" + volume);
            for (String[] call : List.of(new String[] {"create-upload-url", "PUT", "sync.csv"},
                    new String[] {"create-upload-url", "PUT", "async.csv"}, new String[] {"create-download-url", "GET", "sync.csv"})) {
                String url = PresignedUrl.of(call[1], s3Host, "db-" + volume, call[2], S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
                api.register(post(urlPathEqualTo("/api/2.0/fs/" + call[0]))
                        .withRequestBody(containing("/Volumes/main/default/" + volume + "/" + call[2] + "\""))
                        .willReturn(okJson("{\"url\":\"" + url + "\"}")));
            }
        }
        String job = "io.tagalong.smoke.databricks.VolumeJob";
        String host = "127.0.0.1:" + workspace.port();
        RunningChild withAgent = ChildJvm.withAgent(jdk).app("databricks-jdbc").hostsOnLoopback("s3.us-east-1.amazonaws.com")
                .property("tagalong.headers", HEADERS).property("tagalong.debug", "true").start(job, host, "agent");
        RunningChild control = ChildJvm.withoutAgent(jdk).app("databricks-jdbc").hostsOnLoopback("s3.us-east-1.amazonaws.com")
                .property("tagalong.headers", HEADERS).start(job, host, "control");
        ChildResult result = withAgent.awaitExit().assertCleanRun();
        ChildResult controlResult = control.awaitExit().assertCleanRun();

        assertThat(result.stdout()).contains("putObject sync.csv ok", "putFiles async.csv ok", "getObject sync.csv as uploaded", "ALL OK");
        List<Received> requests = s3.receivedUnder("/db-agent");
        assertThat(requests).extracting(r -> r.method() + " " + r.path())
                .containsExactlyInAnyOrder("PUT /db-agent/sync.csv", "PUT /db-agent/async.csv", "GET /db-agent/sync.csv");
        for (Received r : requests) {
            assertThat(r.target()).as("%s", r).contains("X-Amz-Signature=");
            assertThat(r.all("X-Team")).as("%s", r).containsExactly("ml");
            assertThat(r.all("x-amz-meta-team")).as("%s", r).isEmpty();
        }
        assertThat(s3.storedMetadata("db-agent", "sync.csv")).isEmpty();
        assertThat(result.tagalongLines())
                .anyMatch(l -> l.contains("apache-httpclient-4 relocated under " + DATABRICKS_PREFIX))
                .anyMatch(l -> l.contains("apache-httpclient-5 relocated under " + DATABRICKS_PREFIX))
                .filteredOn(l -> l.startsWith("[tagalong] WARN"))
                .containsExactly("[tagalong] WARN header x-amz-meta-team refused: the request is already signed");
        // The workspace is not storage: its API calls (httpclient 4 and 5 too) get nothing.
        assertThat(workspace.wiremock().getAllServeEvents()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getRequest().containsHeader("X-Team")).as("%s", e.getRequest()).isFalse());

        assertThat(controlResult.stdout()).contains("ALL OK");
        carriesNone(controlResult, "/db-control");
    }

    /** Runs a snowflake job with the agent (bucket sf-agent) and without it (sf-control) at the same time. */
    private ChildResult[] snowflake(Jdk jdk, String app, String job, boolean seeded) {
        for (String bucket : List.of("sf-agent", "sf-control")) {
            s3.createBucket(bucket);
            if (seeded) s3.putObject(bucket, "stage/seeded.csv", SEEDED);
        }
        RunningChild withAgent = ChildJvm.withAgent(jdk).app(app).property("tagalong.headers", HEADERS)
                .property("tagalong.debug", "true").start(job, s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, "sf-agent");
        RunningChild control = ChildJvm.withoutAgent(jdk).app(app).property("tagalong.headers", HEADERS)
                .start(job, s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, "sf-control");
        return new ChildResult[] {withAgent.awaitExit().assertCleanRun(), control.awaitExit().assertCleanRun()};
    }

    private static void carriesBothSigned(Received r) {
        assertThat(r.all("X-Team")).as("X-Team on %s", r).containsExactly("ml");
        assertThat(r.all("x-amz-meta-team")).as("x-amz-meta-team on %s", r).containsExactly("ml");
        assertThat(r.signedHeaders()).as("SignedHeaders of %s", r).contains("x-team", "x-amz-meta-team");
    }

    private static void carriesNone(ChildResult control, String bucketPath) {
        assertThat(control.stdout()).contains("ALL OK");
        assertThat(s3.receivedUnder(bucketPath)).as("the control's requests").isNotEmpty().allSatisfy(r -> {
            assertThat(r.all("X-Team")).as("%s", r).isEmpty();
            assertThat(r.all("x-amz-meta-team")).as("%s", r).isEmpty();
        });
    }
}
