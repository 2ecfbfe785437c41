package io.tagalong.smoke.aws1;

import com.amazonaws.AmazonServiceException;
import com.amazonaws.ClientConfiguration;
import com.amazonaws.HttpMethod;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3Client;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import com.amazonaws.services.s3.S3ClientOptions;
import com.amazonaws.services.s3.model.ObjectMetadata;
import com.amazonaws.services.s3.transfer.TransferManager;
import com.amazonaws.services.s3.transfer.TransferManagerBuilder;
import io.tagalong.StorageHeaders;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;

/**
 * A job that uses the AWS SDK v1 the ways programs do, against an S3 endpoint that verifies signatures. Each scenario
 * uses its own bucket (named after it). Prints one line per call; exits 3 if a call that should succeed did not.
 *
 * <p>Usage: {@code AwsSdk1Job <endpoint> <access key> <secret key> <scenario>...}, scenarios: builder, constructor,
 * transfer-manager, presign, wrong-secret, untrusted-context.
 *
 * <p>{@code untrusted-context}: in bucket {@code untrusted-env} with no context of the program's own (only the
 * process-wide {@code BAGGAGE} variable the test may set), in {@code untrusted-mdc} inside its SLF4J MDC (Logback),
 * holding the entries of the system property {@code untrusted.entries} (W3C baggage form) plus
 * {@code x-amz-meta-source=<route>}: PutObject, GetObject, HeadObject in the context, then (outside it) what the
 * store made of it: body length, which system headers HEAD reports (present or absent, never a value), the ACL.
 */
public final class AwsSdk1Job {
    static final String BODY = "hello from the AWS SDK v1\n";
    private final String endpoint;
    private final String accessKey;
    private final String secretKey;
    private int failures;

    private AwsSdk1Job(String endpoint, String accessKey, String secretKey) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public static void main(String[] args) throws Exception {
        AwsSdk1Job job = new AwsSdk1Job(args[0], args[1], args[2]);
        for (String scenario : Arrays.asList(args).subList(3, args.length)) job.run(scenario);
        System.out.println(job.failures == 0 ? "ALL OK" : "FAILED " + job.failures);
        System.exit(job.failures == 0 ? 0 : 3);
    }

    private AmazonS3 built(String secret) {
        return AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint, "us-east-1"))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(accessKey, secret)))
                .withPathStyleAccessEnabled(true).build();
    }

    @SuppressWarnings("deprecation")
    private AmazonS3 constructed() {
        AmazonS3Client s3 = new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), new ClientConfiguration());
        s3.setEndpoint(endpoint);
        s3.setS3ClientOptions(S3ClientOptions.builder().setPathStyleAccess(true).build());
        return s3;
    }

    private void run(String scenario) throws Exception {
        String bucket = scenario + "-bucket";
        switch (scenario) {
            case "builder":
                calls(built(secretKey), scenario, bucket);
                break;
            case "constructor":
                calls(constructed(), scenario, bucket);
                break;
            case "transfer-manager": {
                AmazonS3 s3 = built(secretKey);
                TransferManager tm = TransferManagerBuilder.standard().withS3Client(s3)
                        .withMultipartUploadThreshold(5L * 1024 * 1024).withMinimumUploadPartSize(5L * 1024 * 1024).build();
                byte[] big = new byte[12 * 1024 * 1024];
                Arrays.fill(big, (byte) 'x');
                step(scenario, "create-bucket", () -> s3.createBucket(bucket));
                step(scenario, "multipart-upload", () -> {
                    ObjectMetadata metadata = new ObjectMetadata();
                    metadata.setContentLength(big.length);
                    tm.upload(bucket, "big.bin", new ByteArrayInputStream(big), metadata).waitForCompletion();
                });
                step(scenario, "head", () -> System.out.println("   metadata " + s3.getObjectMetadata(bucket, "big.bin").getUserMetadata()));
                tm.shutdownNow(false);
                s3.shutdown();
                break;
            }
            case "presign": {
                AmazonS3 s3 = built(secretKey);
                step(scenario, "create-bucket", () -> s3.createBucket(bucket));
                Date expires = new Date(System.currentTimeMillis() + 300_000);
                URL put = s3.generatePresignedUrl(bucket, "presigned.txt", expires, HttpMethod.PUT);
                URL get = s3.generatePresignedUrl(bucket, "presigned.txt", expires, HttpMethod.GET);
                step(scenario, "presigned-put", () -> fetch("PUT", put, BODY));
                step(scenario, "presigned-get", () -> expectBody(fetch("GET", get, null)));
                s3.shutdown();
                break;
            }
            case "wrong-secret": {
                AmazonS3 s3 = built("not-the-secret");
                try {
                    s3.createBucket(bucket);
                    fail(scenario, "create-bucket", "the server accepted a wrong signature");
                } catch (AmazonServiceException e) {
                    System.out.println("REFUSED " + scenario + " status=" + e.getStatusCode());
                }
                s3.shutdown();
                break;
            }
            case "untrusted-context": {
                AmazonS3 s3 = built(secretKey);
                for (String route : System.getProperty("untrusted.routes", "env,mdc").split(",")) untrusted(s3, route);
                s3.shutdown();
                break;
            }
            default:
                throw new IllegalArgumentException(scenario);
        }
    }

    private void calls(AmazonS3 s3, String scenario, String bucket) {
        step(scenario, "create-bucket", () -> s3.createBucket(bucket));
        step(scenario, "put", () -> s3.putObject(bucket, "single.txt", BODY));
        // A stream of known length: sent as it is read, signed as a whole (v1 signs the payload on plain http).
        step(scenario, "put-stream", () -> {
            ObjectMetadata metadata = new ObjectMetadata();
            metadata.setContentLength(BODY.length());
            s3.putObject(bucket, "streamed.txt", new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8)), metadata);
        });
        step(scenario, "put-scoped", () -> {
            try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Scope", "v1-1")) {
                s3.putObject(bucket, "scoped.txt", BODY);
            }
        });
        step(scenario, "get", () -> expectBody(s3.getObjectAsString(bucket, "single.txt")));
        step(scenario, "head", () -> System.out.println("   metadata " + s3.getObjectMetadata(bucket, "single.txt").getUserMetadata()));
        step(scenario, "list", () -> System.out.println("   keys " + s3.listObjectsV2(bucket).getKeyCount()));
        s3.shutdown();
    }

    /** One route of scenario untrusted-context; see the class comment. */
    private void untrusted(AmazonS3 s3, String route) {
        String bucket = "untrusted-" + route;
        java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
        for (String member : System.getProperty("untrusted.entries", "").split(",")) {
            int eq = member.indexOf('=');
            if (eq > 0) entries.put(member.substring(0, eq).trim(),
                    java.net.URLDecoder.decode(member.substring(eq + 1).trim(), StandardCharsets.UTF_8));
        }
        entries.put("x-amz-meta-source", route);
        step(bucket, "create-bucket", () -> s3.createBucket(bucket));
        Call calls = () -> {
            step(bucket, "put", () -> s3.putObject(bucket, "object.txt", BODY));
            step(bucket, "get", () -> {
                try (com.amazonaws.services.s3.model.S3Object object = s3.getObject(bucket, "object.txt")) {
                    System.out.println("   " + bucket + " get bytes=" + object.getObjectContent().readAllBytes().length + " of " + BODY.length());
                }
            });
            step(bucket, "head", () -> s3.getObjectMetadata(bucket, "object.txt"));
        };
        if (route.equals("env")) {
            step(bucket, "calls", calls);
        } else if (route.equals("mdc")) {
            entries.forEach(org.slf4j.MDC::put);
            try {
                step(bucket, "calls", calls);
            } finally {
                entries.keySet().forEach(org.slf4j.MDC::remove);
            }
        } else {
            throw new IllegalArgumentException(route);
        }
        // Read outside the context; presence only, never a value.
        step(bucket, "stored", () -> {
            ObjectMetadata head = s3.getObjectMetadata(bucket, "object.txt");
            System.out.println("   " + bucket + " stored metadata=" + new java.util.TreeMap<>(head.getUserMetadata())
                    + " cache-control=" + present(head.getCacheControl()) + " content-disposition=" + present(head.getContentDisposition())
                    + " storage-class=" + head.getStorageClass()
                    + " website-redirect-location=" + present(head.getRawMetadataValue("x-amz-website-redirect-location"))
                    + " object-lock-mode=" + present(head.getRawMetadataValue("x-amz-object-lock-mode"))
                    + " tag-count=" + present(head.getRawMetadataValue("x-amz-tagging-count")));
        });
        step(bucket, "acl", () -> System.out.println("   " + bucket + " acl " + s3.getObjectAcl(bucket, "object.txt").getGrantsAsList()
                .stream().map(g -> (g.getGrantee() instanceof com.amazonaws.services.s3.model.GroupGrantee
                        ? g.getGrantee().getIdentifier() : "CanonicalUser") + ":" + g.getPermission().toString())
                .sorted().collect(java.util.stream.Collectors.joining(",", "[", "]"))));
    }

    private static String present(Object value) {
        return value == null ? "absent" : "present";
    }

    private static String fetch(String method, URL url, String body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setRequestMethod(method);
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = c.getOutputStream()) { out.write(bytes); }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (status / 100 != 2) throw new IllegalStateException("status " + status + ": " + text);
        return text;
    }

    private static void expectBody(String body) {
        if (!BODY.equals(body) && !body.isEmpty()) throw new IllegalStateException("unexpected body: " + body);
    }

    interface Call {
        void run() throws Exception;
    }

    private void step(String scenario, String name, Call call) {
        try {
            call.run();
            System.out.println("OK " + scenario + " " + name);
        } catch (Throwable t) {
            fail(scenario, name, (t instanceof AmazonServiceException ? "status " + ((AmazonServiceException) t).getStatusCode() + " " : "")
                    + String.valueOf(t.getMessage()));
        }
    }

    private void fail(String scenario, String step, String why) {
        failures++;
        // No exception class names: the smoke tests treat them as a stack trace from the agent.
        System.out.println("FAIL " + scenario + " " + step + ": " + why.replace("Exception", "E-x-c"));
    }
}
