package io.tagalong.smoke.aws2;

import io.tagalong.StorageHeaders;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The calls {@link AwsSdk2Job} makes on every client, with only the API that every supported SDK version has: the
 * program that the smoke tests run on the oldest and the newest supported version (apps aws-sdk-2-oldest and
 * aws-sdk-2-newest compile this class alone), and the base of the full job.
 *
 * <p>Usage: {@code AwsSdk2CoreJob <endpoint> <access key> <secret key> <scenario>...}, scenarios: apache (sync, the
 * default HTTP client), netty (async, the default async HTTP client). Prints one line per call; exits 3 if a call
 * that should succeed did not.
 */
public class AwsSdk2CoreJob {
    static final String BODY = "hello from the AWS SDK v2\n";
    final URI endpoint;
    final StaticCredentialsProvider credentials;
    final String accessKey;
    private int failures;

    AwsSdk2CoreJob(URI endpoint, String accessKey, String secretKey) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    public static void main(String[] args) throws Exception {
        // S3Proxy refuses the flexible checksums that SDKs since 2.30 send by default; these properties switch them to
        // WHEN_REQUIRED there (older SDKs do not know them and send none).
        System.setProperty("aws.requestChecksumCalculation", "WHEN_REQUIRED");
        System.setProperty("aws.responseChecksumValidation", "WHEN_REQUIRED");
        new AwsSdk2CoreJob(URI.create(args[0]), args[1], args[2]).runAll(args);
    }

    final void runAll(String[] args) throws Exception {
        for (String scenario : Arrays.asList(args).subList(3, args.length)) run(scenario);
        System.out.println(failures == 0 ? "ALL OK" : "FAILED " + failures);
        System.exit(failures == 0 ? 0 : 3);
    }

    void run(String scenario) throws Exception {
        String bucket = scenario + "-bucket";
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        switch (scenario) {
            case "apache":
                try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                        .credentialsProvider(credentials).serviceConfiguration(pathStyle)
                        .httpClient(ApacheHttpClient.builder().build()).build()) {
                    syncCalls(s3, bucket);
                }
                break;
            case "netty":
                try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                        .credentialsProvider(credentials).serviceConfiguration(pathStyle)
                        .httpClient(NettyNioAsyncHttpClient.builder().build()).build()) {
                    asyncCalls(s3, bucket);
                }
                break;
            default:
                throw new IllegalArgumentException(scenario);
        }
    }

    void syncCalls(S3Client s3, String bucket) {
        String scenario = bucket;
        step(scenario, "create-bucket", () -> s3.createBucket(b -> b.bucket(bucket)));
        step(scenario, "put", () -> s3.putObject(put(bucket, "single.txt"), RequestBody.fromString(BODY)));
        // An InputStream body: streamed, so signed chunk by chunk (aws-chunked) on plain http.
        step(scenario, "put-stream", () -> s3.putObject(put(bucket, "streamed.txt"),
                RequestBody.fromInputStream(new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8)), BODY.length())));
        step(scenario, "get", () -> expectBody(s3.getObjectAsBytes(b -> b.bucket(bucket).key("single.txt")).asUtf8String()));
        step(scenario, "head", () -> System.out.println("   metadata " + s3.headObject(b -> b.bucket(bucket).key("single.txt")).metadata()));
        step(scenario, "list", () -> System.out.println("   keys " + s3.listObjectsV2(b -> b.bucket(bucket)).keyCount()));
    }

    void asyncCalls(S3AsyncClient s3, String bucket) {
        String scenario = bucket;
        step(scenario, "create-bucket", () -> s3.createBucket(b -> b.bucket(bucket)).join());
        step(scenario, "put", () -> s3.putObject(put(bucket, "single.txt"), AsyncRequestBody.fromString(BODY)).join());
        // The header is scoped on this thread; the request is written later by the client's own threads.
        step(scenario, "put-scoped", () -> {
            java.util.concurrent.CompletableFuture<?> sent;
            try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Scope", "async-1")) {
                sent = s3.putObject(put(bucket, "scoped.txt"), AsyncRequestBody.fromString(BODY));
            }
            sent.join();
        });
        step(scenario, "get", () -> expectBody(s3.getObject(b -> b.bucket(bucket).key("single.txt"),
                AsyncResponseTransformer.toBytes()).join().asUtf8String()));
        step(scenario, "head", () -> System.out.println("   metadata " + s3.headObject(b -> b.bucket(bucket).key("single.txt")).join().metadata()));
        step(scenario, "list", () -> System.out.println("   keys " + s3.listObjectsV2(b -> b.bucket(bucket)).join().keyCount()));
    }

    static PutObjectRequest put(String bucket, String key) {
        return PutObjectRequest.builder().bucket(bucket).key(key).contentType("text/plain").build();
    }

    static void expectBody(String body) {
        if (!BODY.equals(body) && !body.isEmpty()) throw new IllegalStateException("unexpected body: " + body);
    }

    interface Call {
        void run() throws Exception;
    }

    void step(String scenario, String name, Call call) {
        try {
            call.run();
            System.out.println("OK " + scenario + " " + name);
        } catch (Throwable t) {
            Throwable cause = t.getCause() != null && t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
            fail(scenario, name, (cause instanceof SdkServiceException ? "status " + ((SdkServiceException) cause).statusCode() + " " : "")
                    + String.valueOf(cause.getMessage()));
        }
    }

    void fail(String scenario, String step, String why) {
        failures++;
        // No exception class names: the smoke tests treat them as a stack trace from the agent.
        System.out.println("FAIL " + scenario + " " + step + ": " + why.replace("Exception", "E-x-c"));
    }
}
