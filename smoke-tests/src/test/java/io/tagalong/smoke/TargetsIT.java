package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static org.junit.jupiter.api.Assertions.assertAll;

import io.tagalong.smoke.programs.Fetch;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which requests are storage requests (tagalong.targets). Real endpoint host names resolve to 127.0.0.1
 * in the child, so WireMock sees the Host header the program used.
 */
class TargetsIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    record Endpoint(String host, String path) {}

    static final List<Endpoint> S3 = List.of(
            new Endpoint("bucket.s3.amazonaws.com", "/key"),                                 // virtual-hosted, global
            new Endpoint("bucket.s3.us-west-2.amazonaws.com", "/key"),                       // virtual-hosted, regional
            new Endpoint("s3.us-west-2.amazonaws.com", "/bucket/key"),                       // path-style
            new Endpoint("s3-us-west-2.amazonaws.com", "/bucket/key"),                       // legacy dash-region
            new Endpoint("bucket.s3.dualstack.us-east-1.amazonaws.com", "/key"),             // dual-stack
            new Endpoint("bucket.s3-fips.us-east-1.amazonaws.com", "/key"),                  // FIPS
            new Endpoint("ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com", "/key")); // access point
    static final List<Endpoint> GCS = List.of(
            new Endpoint("storage.googleapis.com", "/bucket/key"),
            new Endpoint("bucket.storage.googleapis.com", "/key"));
    static final List<Endpoint> NOT_STORAGE = List.of(
            new Endpoint("sqs.us-east-1.amazonaws.com", "/queue"),
            new Endpoint("www.example.com", "/key"),
            new Endpoint("oauth2.googleapis.com", "/token"));

    @OnEveryJdk
    void defaultTargetsAreS3AndGcsHosts(Jdk jdk) {
        List<Endpoint> all = Stream.of(S3, GCS, NOT_STORAGE).flatMap(List::stream).toList();
        ChildJvm.withAgent(jdk)
                .hostsOnLoopback(all.stream().map(Endpoint::host).toArray(String[]::new))
                .property("tagalong.headers", "X-Team=ml")
                .run(Fetch.class, all.stream().map(endpoint -> "GET " + storage.urlOn(endpoint.host(), endpoint.path()))
                        .toArray(String[]::new))
                .assertCleanRun();

        assertAll(Stream.concat(
                Stream.concat(S3.stream(), GCS.stream()).map(endpoint -> (Executable) () ->
                        assertHeaderOnce(storage.receivedOnce(endpoint.host(), endpoint.path()), "X-Team", "ml")),
                NOT_STORAGE.stream().map(endpoint -> (Executable) () ->
                        assertNoHeader(storage.receivedOnce(endpoint.host(), endpoint.path()), "X-Team"))));
    }

    @OnEveryJdk
    void allMakesEveryRequestATarget(Jdk jdk) {
        ChildJvm.withAgent(jdk)
                .hostsOnLoopback("www.example.com")
                .property("tagalong.targets", "all")
                .property("tagalong.headers", "X-Team=ml")
                .run(Fetch.class, "GET " + storage.url("/key"), "GET " + storage.urlOn("www.example.com", "/key"))
                .assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("127.0.0.1", "/key"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("www.example.com", "/key"), "X-Team", "ml");
    }

    @OnEveryJdk
    void hostGlobMatchesSubdomainsOnly(Jdk jdk) {
        ChildJvm.withAgent(jdk)
                .hostsOnLoopback("bucket.minio.test", "notminio.test", "bucket.s3.amazonaws.com")
                .property("tagalong.targets", "*.minio.test")
                .property("tagalong.headers", "X-Team=ml")
                .run(Fetch.class,
                        "GET " + storage.urlOn("bucket.minio.test", "/key"),
                        "GET " + storage.urlOn("notminio.test", "/key"),
                        "GET " + storage.urlOn("bucket.s3.amazonaws.com", "/key"))
                .assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("bucket.minio.test", "/key"), "X-Team", "ml");
        assertNoHeader(storage.receivedOnce("notminio.test", "/key"), "X-Team");
        // an explicit target list replaces the default s3,gcs
        assertNoHeader(storage.receivedOnce("bucket.s3.amazonaws.com", "/key"), "X-Team");
    }

    @OnEveryJdk
    void urlPrefixWithPathMatchesOnlyUnderIt(Jdk jdk) {
        ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.url("/bucket/"))
                .property("tagalong.headers", "X-Team=ml")
                .run(Fetch.class,
                        "GET " + storage.url("/bucket/key"),
                        "GET " + storage.url("/bucket/dir/key"),
                        "GET " + storage.url("/bucketx/key"),
                        "GET " + storage.url("/other/key"))
                .assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("/bucket/key"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("/bucket/dir/key"), "X-Team", "ml");
        assertNoHeader(storage.receivedOnce("/bucketx/key"), "X-Team");
        assertNoHeader(storage.receivedOnce("/other/key"), "X-Team");
    }
}
