package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetsTest {

    @ParameterizedTest(name = "{0} is S3: {1}")
    @CsvSource({
            "s3.amazonaws.com, true",
            "bucket.s3.amazonaws.com, true",
            "my.dotted.bucket.s3.amazonaws.com, true",
            "bucket.s3.us-west-2.amazonaws.com, true",
            "s3.us-west-2.amazonaws.com, true",
            "s3-us-west-2.amazonaws.com, true",
            "bucket.s3-us-west-2.amazonaws.com, true",
            "bucket.s3.dualstack.us-east-1.amazonaws.com, true",
            "s3.dualstack.eu-central-1.amazonaws.com, true",
            "bucket.s3-fips.us-east-1.amazonaws.com, true",
            "s3-fips.dualstack.us-gov-west-1.amazonaws.com, true",
            "ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com, true",
            "ap-123456789012.s3-accesspoint.dualstack.us-east-1.amazonaws.com, true",
            "ap-123456789012.s3-accesspoint-fips.us-east-1.amazonaws.com, true",
            "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com, true",
            "ol-123456789012.s3-object-lambda.us-east-1.amazonaws.com, true",
            "bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com, true",
            "bucket.s3.cn-north-1.amazonaws.com.cn, true",
            "BUCKET.S3.US-EAST-1.AMAZONAWS.COM, true",
            "sqs.us-east-1.amazonaws.com, false",
            "dynamodb.us-east-1.amazonaws.com, false",
            "s3.example.com, false",
            "amazonaws.com, false",
            "s3.amazonaws.com.evil.example, false",
            "evil-s3.amazonaws.com.example.com, false",
            "bucket.sts.us-east-1.amazonaws.com, false",
    })
    void s3Hosts(String host, boolean expected) {
        assertEquals(expected, Targets.isS3Host(host));
    }

    @ParameterizedTest(name = "{0}{1} is GCS: {2}")
    @CsvSource({
            "storage.googleapis.com, /b/bucket/o, true",
            "bucket.storage.googleapis.com, /object, true",
            "storage.mtls.googleapis.com, /, true",
            "storage.us-east1.rep.googleapis.com, /, true",
            "www.googleapis.com, /storage/v1/b, true",
            "www.googleapis.com, /upload/storage/v1/b, true",
            "www.googleapis.com, /drive/v3/files, false",
            "oauth2.googleapis.com, /token, false",
            "storage.googleapis.com.evil.example, /, false",
    })
    void gcsHosts(String host, String path, boolean expected) {
        assertEquals(expected, Targets.isGcsHost(host, path));
    }

    @ParameterizedTest(name = "targets={0}: {1}://{2}:{3}{4} -> {5}")
    @CsvSource({
            "'s3,gcs', https, bucket.s3.amazonaws.com, -1, /k, true",
            "'s3,gcs', http, 127.0.0.1, 8080, /k, false",
            "s3, https, storage.googleapis.com, -1, /k, false",
            "all, http, 127.0.0.1, 8080, /k, true",
            "*.r2.cloudflarestorage.com, https, acct.R2.cloudflarestorage.com, -1, /, true",
            "*.r2.cloudflarestorage.com, https, r2.cloudflarestorage.com, -1, /, false",
            "localhost, http, localhost, 9000, /, true",
            "localhost:9000, http, localhost, 9000, /, true",
            "localhost:9000, http, localhost, 9001, /, false",
            "minio-?.internal, http, minio-1.internal, 80, /, true",
            "http://127.0.0.1:9000/bucket/, http, 127.0.0.1, 9000, /bucket/key, true",
            "http://127.0.0.1:9000/bucket/, http, 127.0.0.1, 9000, /other/key, false",
            "http://127.0.0.1:9000/bucket/, https, 127.0.0.1, 9000, /bucket/key, false",
            "http://127.0.0.1:9000/bucket/, http, 127.0.0.1, 9001, /bucket/key, false",
            "http://minio.local/, http, minio.local, -1, /x, true",
            "https://minio.local/, https, minio.local, 443, /x, true",
            "'http://[::1]:9000/', http, '[::1]', 9000, /x, true",
            "none, https, bucket.s3.amazonaws.com, -1, /k, false",
    })
    void configuredTargets(String targets, String scheme, String host, int port, String path, boolean expected) {
        Config.Problems problems = new Config.Problems();
        Targets t = Targets.parse(Arrays.asList(targets.split(",")), problems);
        assertEquals(Collections.emptyList(), problems.list);
        assertEquals(expected, t.matches(Targets.Client.HTTP, scheme, host, port, path));
    }

    @ParameterizedTest
    @CsvSource({"S3_SDK, s3, true", "S3_SDK, gcs, false", "GCS_SDK, gcs, true", "GCS_SDK, s3, false", "S3_SDK, all, true",
            "S3_SDK, http://127.0.0.1:9000/bucket, true", "S3_SDK, 127.0.0.1:9000, true", "GCS_SDK, http://127.0.0.1:9000/other/, false"})
    void sdkClientsAreTargetsWhateverTheHost(Targets.Client client, String targets, boolean expected) {
        Targets t = Targets.parse(Collections.singletonList(targets), new Config.Problems());
        assertEquals(expected, t.matches(client, "http", "127.0.0.1", 9000, "/bucket"));
    }

    @ParameterizedTest
    @CsvSource({"'http://['", "'ftp://host/'", "'host with space'", "'host:notaport'", "'host:0'"})
    void unreadableTargetsAreReportedWithoutTheirText(String entry) {
        Config.Problems problems = new Config.Problems();
        Targets.parse(Collections.singletonList(entry), problems);
        assertEquals(1, problems.list.size(), problems.list.toString());
        assertTrue(problems.list.get(0).startsWith("tagalong.targets: entry 1 ignored"), problems.list.get(0));
    }
}
