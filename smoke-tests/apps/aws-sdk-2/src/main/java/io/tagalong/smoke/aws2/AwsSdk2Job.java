package io.tagalong.smoke.aws2;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;


import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.DownloadFileRequest;
import software.amazon.awssdk.transfer.s3.model.UploadRequest;

/**
 * A job that uses the AWS SDK v2 the ways programs do, against an S3 endpoint that verifies signatures. Each
 * scenario uses its own bucket (named after it) so the server's records tell the clients apart. Prints one line per
 * call; exits 3 if a call that should succeed did not.
 *
 * <p>Usage: {@code AwsSdk2Job <endpoint> <access key> <secret key> <scenario>...}, scenarios: apache, urlconnection,
 * netty, crt, transfer-manager, crt-transfer-manager, presign, wrong-secret, sts, untrusted-context.
 *
 * <p>{@code untrusted-context} (Apache client): in bucket {@code untrusted-env} with no context of the program's own
 * (only the process-wide {@code BAGGAGE} variable the test may set), in {@code untrusted-otel} inside the program's
 * OpenTelemetry baggage, in {@code untrusted-mdc} inside its SLF4J MDC (Logback), each holding the entries of the
 * system property {@code untrusted.entries} (W3C baggage form: {@code name=percent-encoded value,...}) plus
 * {@code x-amz-meta-source=<route>}: PutObject, GetObject, HeadObject in the context, then (outside it) what the
 * store made of it: body length, which system headers HEAD reports (present or absent, never a value), the object's
 * ACL grants. {@code untrusted.routes} (default {@code env,otel,mdc}) picks the routes.
 */
public final class AwsSdk2Job extends AwsSdk2CoreJob {
    private AwsSdk2Job(URI endpoint, String accessKey, String secretKey) {
        super(endpoint, accessKey, secretKey);
    }

    public static void main(String[] args) throws Exception {
        new AwsSdk2Job(URI.create(args[0]), args[1], args[2]).runAll(args);
    }

    @Override
    void run(String scenario) throws Exception {
        String bucket = scenario + "-bucket";
        switch (scenario) {
            case "apache":
                try (S3Client s3 = syncClient(ApacheHttpClient.builder().build(), credentials)) { syncCalls(s3, bucket); }
                break;
            case "urlconnection":
                try (S3Client s3 = syncClient(UrlConnectionHttpClient.builder().build(), credentials)) { syncCalls(s3, bucket); }
                break;
            case "netty":
                try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                        .credentialsProvider(credentials).forcePathStyle(true)
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                        .httpClient(NettyNioAsyncHttpClient.builder().build()).build()) {
                    asyncCalls(s3, bucket);
                }
                break;
            case "crt":
                try (S3AsyncClient s3 = crtClient()) { asyncCalls(s3, bucket); }
                break;
            case "transfer-manager":
                try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                        .credentialsProvider(credentials).forcePathStyle(true)
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                        .multipartEnabled(true)
                        .multipartConfiguration(c -> c.minimumPartSizeInBytes(5L * 1024 * 1024).thresholdInBytes(5L * 1024 * 1024))
                        .build()) {
                    // This client downloads by part number, which S3Proxy 2.6.0 answers without Content-Range:
                    // its download is left to the CRT-based Transfer Manager, which downloads by ranges.
                    transferManager(s3, bucket, false);
                }
                break;
            case "crt-transfer-manager":
                try (S3AsyncClient s3 = crtClient()) { transferManager(s3, bucket, true); }
                break;
            case "presign":
                presign(bucket);
                break;
            case "wrong-secret":
                try (S3Client s3 = syncClient(UrlConnectionHttpClient.builder().build(),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "not-the-secret")))) {
                    s3.createBucket(b -> b.bucket(bucket));
                    fail(scenario, "create-bucket", "the server accepted a wrong signature");
                } catch (SdkServiceException e) {
                    System.out.println("REFUSED " + scenario + " status=" + e.statusCode());
                }
                break;
            case "sts":
                // Another AWS service: not a storage client. The S3 server answers it with an error, which is fine.
                try (StsClient sts = StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.builder().build()).build()) {
                    sts.getCallerIdentity();
                    System.out.println("OK sts");
                } catch (SdkServiceException e) {
                    System.out.println("OK sts status=" + e.statusCode());
                }
                break;
            case "untrusted-context":
                try (S3Client s3 = syncClient(ApacheHttpClient.builder().build(), credentials)) {
                    for (String route : System.getProperty("untrusted.routes", "env,otel,mdc").split(",")) untrusted(s3, route);
                }
                break;
            default:
                throw new IllegalArgumentException(scenario);
        }
    }

    private S3Client syncClient(software.amazon.awssdk.http.SdkHttpClient http, StaticCredentialsProvider creds) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(http).build();
    }

    private S3AsyncClient crtClient() {
        return S3AsyncClient.crtBuilder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .minimumPartSizeInBytes(5L * 1024 * 1024).build();
    }

    /** A 12 MiB upload in 5 MiB parts (and a download of it in ranges) through the Transfer Manager. */
    private void transferManager(S3AsyncClient s3, String bucket, boolean download) throws Exception {
        String scenario = bucket;
        byte[] big = new byte[12 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        Path file = Files.createTempFile("tm", ".bin");
        try (S3TransferManager tm = S3TransferManager.builder().s3Client(s3).build()) {
            step(scenario, "create-bucket", () -> s3.createBucket(b -> b.bucket(bucket)).join());
            step(scenario, "multipart-upload", () -> tm.upload(UploadRequest.builder()
                    .putObjectRequest(put(bucket, "big.bin")).requestBody(AsyncRequestBody.fromBytes(big)).build())
                    .completionFuture().join());
            if (download) step(scenario, "download", () -> {
                tm.downloadFile(DownloadFileRequest.builder().getObjectRequest(b -> b.bucket(bucket).key("big.bin"))
                        .destination(file).build()).completionFuture().join();
                if (Files.size(file) != big.length) throw new IllegalStateException("downloaded " + Files.size(file) + " bytes");
            });
            step(scenario, "head", () -> System.out.println("   metadata " + s3.headObject(b -> b.bucket(bucket).key("big.bin")).join().metadata()));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Presigned GET and PUT, fetched with plain HttpURLConnection as a program hands them to another process. */
    private void presign(String bucket) throws Exception {
        String scenario = bucket;
        try (S3Client s3 = syncClient(UrlConnectionHttpClient.builder().build(), credentials);
             S3Presigner presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                     .credentialsProvider(credentials)
                     .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                     .build()) {
            step(scenario, "create-bucket", () -> s3.createBucket(b -> b.bucket(bucket)));
            URL put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(b -> b.bucket(bucket).key("presigned.txt"))).url();
            URL get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(GetObjectRequest.builder().bucket(bucket).key("presigned.txt").build())).url();
            step(scenario, "presigned-put", () -> fetch("PUT", put, BODY));
            step(scenario, "presigned-get", () -> expectBody(fetch("GET", get, null)));
        }
    }

    /** One route of scenario untrusted-context; see the class comment. */
    private void untrusted(S3Client s3, String route) {
        String bucket = "untrusted-" + route;
        java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
        for (String member : System.getProperty("untrusted.entries", "").split(",")) {
            int eq = member.indexOf('=');
            if (eq > 0) entries.put(member.substring(0, eq).trim(),
                    java.net.URLDecoder.decode(member.substring(eq + 1).trim(), StandardCharsets.UTF_8));
        }
        entries.put("x-amz-meta-source", route);
        step(bucket, "create-bucket", () -> s3.createBucket(b -> b.bucket(bucket)));
        Call calls = () -> {
            step(bucket, "put", () -> s3.putObject(put(bucket, "object.txt"), RequestBody.fromString(BODY)));
            step(bucket, "get", () -> System.out.println("   " + bucket + " get bytes="
                    + s3.getObjectAsBytes(b -> b.bucket(bucket).key("object.txt")).asByteArray().length + " of " + BODY.length()));
            step(bucket, "head", () -> s3.headObject(b -> b.bucket(bucket).key("object.txt")));
        };
        switch (route) {
            case "env":
                step(bucket, "calls", calls);
                break;
            case "otel": {
                io.opentelemetry.api.baggage.BaggageBuilder baggage = io.opentelemetry.api.baggage.Baggage.builder();
                entries.forEach(baggage::put);
                try (io.opentelemetry.context.Scope ignored = baggage.build().makeCurrent()) {
                    step(bucket, "calls", calls);
                }
                break;
            }
            case "mdc":
                entries.forEach(org.slf4j.MDC::put);
                try {
                    step(bucket, "calls", calls);
                } finally {
                    entries.keySet().forEach(org.slf4j.MDC::remove);
                }
                break;
            default:
                throw new IllegalArgumentException(route);
        }
        // What the store made of it, read outside the program's context. Presence only: no value is printed, so
        // the test can tell that no value of the context reached the output.
        step(bucket, "stored", () -> {
            software.amazon.awssdk.services.s3.model.HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("object.txt"));
            System.out.println("   " + bucket + " stored metadata=" + new java.util.TreeMap<>(head.metadata())
                    + " cache-control=" + present(head.cacheControl()) + " content-disposition=" + present(head.contentDisposition())
                    + " storage-class=" + head.storageClassAsString() + " website-redirect-location=" + present(head.websiteRedirectLocation())
                    + " object-lock-mode=" + present(head.objectLockModeAsString()) + " tag-count=" + present(head.tagCount()));
        });
        step(bucket, "acl", () -> System.out.println("   " + bucket + " acl " + s3.getObjectAcl(b -> b.bucket(bucket).key("object.txt"))
                .grants().stream().map(g -> (g.grantee().uri() != null ? g.grantee().uri() : g.grantee().typeAsString()) + ":" + g.permissionAsString())
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

}
