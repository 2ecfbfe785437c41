package io.tagalong.demo;

import io.tagalong.StorageHeaders;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Shows what Tagalong does in one command: a job that writes to and reads from an S3-compatible server that checks
 * AWS signatures, with the AWS SDK for Java v2 {@code S3Client}, and, for every request, the headers the server
 * received. Run it with and without {@code -javaagent:agent/target/tagalong-agent.jar}: the job's code is the same,
 * only the received headers differ; with the agent they are signed by the SDK like its own.
 */
public final class DemoJob {
    private static final String BUCKET = "demo-bucket";
    /** The one key pair the server accepts: every request's SigV4 signature is checked against it. */
    private static final String ACCESS_KEY = "demo-access-key";
    private static final String SECRET_KEY = "demo-secret-key";
    private static final String KEY = "hello.txt";
    private static final String CONTENT = "Hello from the Tagalong demo job\n";
    /** The header this job sets in code through the context holder, around one request. */
    private static final String SCOPED_HEADER = "X-Job-Id";
    private static final String SCOPED_VALUE = "demo-42";

    private int steps;
    private int failures;

    public static void main(String[] args) throws Exception {
        System.exit(new DemoJob().run());
    }

    private int run() throws Exception {
        Set<String> configured = headerNamesFrom(setting("tagalong.headers"));
        Set<String> marked = new LinkedHashSet<>();
        configured.forEach(name -> marked.add(name.toLowerCase(Locale.ROOT)));
        marked.add(SCOPED_HEADER.toLowerCase(Locale.ROOT));

        BlobStoreContext blobStore = ContextBuilder.newBuilder("transient")
                .credentials("identity", "credential")
                .buildView(BlobStoreContext.class);
        S3Proxy server = S3Proxy.builder()
                .blobStore(blobStore.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        server.start();
        try (RecordingProxy recorder = new RecordingProxy(server.getPort(), head -> printHead(head, marked))) {
            URI endpoint = URI.create("http://localhost:" + recorder.port());
            printIntro(server.getPort(), endpoint, configured);
            try (S3Client s3 = client(endpoint, SECRET_KEY)) {
                step("create the bucket");
                expect(s3.createBucket(b -> b.bucket(BUCKET)));

                step("write the object, inside StorageHeaders.with(\"" + SCOPED_HEADER + "\", \"" + SCOPED_VALUE + "\")");
                try (StorageHeaders.Scope ignored = StorageHeaders.with(SCOPED_HEADER, SCOPED_VALUE)) {
                    expect(s3.putObject(b -> b.bucket(BUCKET).key(KEY).contentType("text/plain"),
                            RequestBody.fromString(CONTENT)));
                }

                step("read it back");
                ResponseBytes<GetObjectResponse> get = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY));
                expect(get.response());
                System.out.print("   -> body: " + get.asUtf8String());
                if (!CONTENT.equals(get.asUtf8String())) {
                    System.out.println("   FAILED: the body read back differs from the one written");
                    failures++;
                }

                step("read its metadata");
                HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(KEY));
                expect(head);
                System.out.println("   -> object metadata the server stored (x-amz-meta-* of the response): "
                        + (head.metadata().isEmpty() ? "(none)" : head.metadata()));

                step("list the bucket");
                ListObjectsV2Response list = s3.listObjectsV2(b -> b.bucket(BUCKET));
                expect(list);
                StringBuilder keys = new StringBuilder();
                list.contents().forEach(o -> keys.append(keys.length() == 0 ? "" : ", ").append(o.key()));
                System.out.println("   -> keys: " + (keys.length() == 0 ? "(none)" : keys));
            }

            step("the same with a wrong secret key: the server checks every signature");
            try (S3Client wrong = client(endpoint, "not-the-secret")) {
                wrong.headObject(b -> b.bucket(BUCKET).key(KEY));
                System.out.println("   FAILED: the server accepted a wrong signature");
                failures++;
            } catch (S3Exception refused) {
                System.out.println("   -> " + refused.statusCode() + " refused, as it should be");
            }
        } finally {
            server.stop();
            blobStore.close();
        }
        System.out.println();
        System.out.println(failures == 0 ? "Demo finished: all requests succeeded." : "Demo FAILED: " + failures + " problem(s) above.");
        return failures == 0 ? 0 : 1;
    }

    /** An ordinary S3 client for an S3-compatible store: fixed endpoint, path-style, checksums only when required. */
    private static S3Client client(URI endpoint, String secretKey) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secretKey)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private void printIntro(int serverPort, URI endpoint, Set<String> configured) {
        boolean agent = StorageHeaders.class.getClassLoader() == null;   // the agent puts its copy on the bootstrap class path
        System.out.println("Tagalong demo job");
        System.out.println("  storage server : S3Proxy (in-memory, AWS signature V4 checked) on 127.0.0.1:" + serverPort
                + ", behind a recorder that prints each request head exactly as it passes to the server");
        System.out.println("  job talks to   : " + endpoint + " with the AWS SDK for Java v2 S3Client");
        System.out.println("  Tagalong agent : " + (agent
                ? "attached (io.tagalong.StorageHeaders comes from the bootstrap class path)"
                : "not attached (add -javaagent:agent/target/tagalong-agent.jar to see injected headers)"));
        String targets = setting("tagalong.targets");
        if (agent && targets != null && !targets.toLowerCase(Locale.ROOT).matches("(.*,)?\\s*(s3|all)\\s*(,.*)?")) {
            System.out.println("  note           : tagalong.targets=" + targets + " leaves out s3, so the S3 client gets nothing;"
                    + " leave it unset (default s3,gcs)");
        }
        System.out.println("  marked <- tagalong: " + (configured.isEmpty() ? "" : String.join(", ", configured)
                + " (tagalong.headers), ") + SCOPED_HEADER + " (StorageHeaders scope in the job's code);"
                + " the job never sets them itself");
    }

    /** Printed before the request, so the server's view of it (printed by the recorder) follows. */
    private void step(String what) {
        System.out.println();
        System.out.println(++steps + ". job: " + what);
    }

    private void expect(SdkResponse response) {
        SdkHttpResponse http = response.sdkHttpResponse();
        System.out.println("   -> " + http.statusCode() + " " + http.statusText().orElse(""));
        if (!http.isSuccessful()) {
            System.out.println("   FAILED: expected a 2xx status");
            failures++;
        }
    }

    /** A Tagalong setting as the agent reads it: system property, then environment variable (the file is not read here). */
    private static String setting(String key) {
        String value = System.getProperty(key);
        return value != null ? value : System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }

    /** Header names of a "Name=value,Name=value" list; only the names, for marking the output. */
    private static Set<String> headerNamesFrom(String list) {
        Set<String> names = new LinkedHashSet<>();
        if (list == null) return names;
        for (String entry : list.split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) names.add(entry.substring(0, eq).trim());
        }
        return names;
    }

    /** Prints a request head as the server received it, marking the headers Tagalong was configured to add. */
    private static void printHead(List<String> head, Set<String> markedNames) {
        String[] requestLine = head.get(0).split(" ");
        StringBuilder out = new StringBuilder("   server received: ")
                .append(requestLine[0]).append(' ').append(requestLine[1]).append('\n');
        int width = 0;
        for (String line : head.subList(1, head.size())) {
            if (markedNames.contains(RecordingProxy.name(line))) width = Math.max(width, line.length());   // aligns the markers
        }
        for (String line : head.subList(1, head.size())) {
            out.append("       ").append(line);
            if (markedNames.contains(RecordingProxy.name(line))) {
                out.append(" ".repeat(width - line.length())).append("   <- tagalong");
            }
            out.append('\n');
        }
        System.out.print(out);
        System.out.flush();
    }
}
