package io.tagalong.smoke.gcs;

import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.ServiceOptions;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.storage.v2.Bucket;
import com.google.storage.v2.GetBucketRequest;
import com.google.storage.v2.StorageGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.tagalong.StorageHeaders;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A job using the real Google Cloud Storage client over HTTP/JSON against the endpoints it is given (WireMock
 * playing the JSON API), with no knowledge of Tagalong.
 *
 * <pre>
 * GcsJob sdk ENDPOINT...     bucket metadata, direct upload, resumable upload in chunks, download, reader,
 *                            object metadata, list: on each endpoint, in a scope with header X-Job: nightly
 * GcsJob google-http URL1 URL2  plain google-http-client: GET URL1 (which redirects), and GET URL2 with
 *                            executeAsync on another thread, in a scope with header X-Job: nightly
 * GcsJob plain ENDPOINT...   bucket metadata, direct upload, download, object metadata on each endpoint, with no
 *                            context of the program's own (only what the agent reads from its configuration and
 *                            the process-wide BAGGAGE variable)
 * GcsJob signed ENDPOINT     a V4 signed URL for ENDPOINT (signed here with a fresh RSA key), fetched with
 *                            HttpURLConnection and with google-http-client
 * GcsJob sdk-signed ENDPOINT sdk, then signed, on one endpoint (one JVM for both)
 * GcsJob grpc HOST:PORT      in a scope with header X-Job: nightly: the storage client over gRPC (StorageOptions.grpc(),
 *                            plaintext, no credentials, no DirectPath) gets the bucket, writes an object, reads it
 *                            back and gets its metadata; then a channel of the job's own makes one Storage RPC
 *                            (GetBucket) and one of the health service on that same channel
 * </pre>
 * Exits 3 when a step fails.
 */
public final class GcsJob {
    public static final String BUCKET = "tagalong-bucket";
    /** The resumable upload's chunk size (the client's minimum) and object size: three PUTs. */
    public static final int CHUNK = 256 * 1024;
    public static final int RESUMABLE_SIZE = 2 * CHUNK + 1000;

    public static void main(String[] args) throws Exception {
        try {
            if (args[0].equals("sdk")) {
                try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Job", "nightly")) {
                    for (String endpoint : Arrays.copyOfRange(args, 1, args.length)) sdk(endpoint);
                }
            } else if (args[0].equals("plain")) {
                for (String endpoint : Arrays.copyOfRange(args, 1, args.length)) plain(endpoint);
            } else if (args[0].equals("google-http")) {
                googleHttp(args[1], args[2]);
            } else if (args[0].equals("signed")) {
                signed(args[1]);
            } else if (args[0].equals("grpc")) {
                try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Job", "nightly")) {
                    grpc(args[1]);
                }
            } else if (args[0].equals("sdk-signed")) {
                try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Job", "nightly")) {
                    sdk(args[1]);
                }
                signed(args[1]);
            } else {
                throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(3);
        }
    }

    /** The storage client against the test's JSON API server: no credentials, no retries. */
    private static Storage storage(String endpoint) {
        return StorageOptions.newBuilder()
                .setHost(endpoint)
                .setProjectId("tagalong-project")
                .setCredentials(NoCredentials.getInstance())
                .setRetrySettings(ServiceOptions.getNoRetrySettings())
                .build()
                .getService();
    }

    private static void sdk(String endpoint) throws Exception {
        Storage storage = storage(endpoint);
        System.out.println("bucket " + storage.get(BUCKET).getName());

        BlobInfo direct = BlobInfo.newBuilder(BUCKET, "direct.txt").setContentType("text/plain").build();
        System.out.println("direct upload " + storage.create(direct, "hello gcs".getBytes(StandardCharsets.UTF_8)).getName());

        BlobInfo resumable = BlobInfo.newBuilder(BUCKET, "resumable.bin").build();
        try (WriteChannel writer = storage.writer(resumable)) {
            writer.setChunkSize(CHUNK);
            ByteBuffer data = ByteBuffer.allocate(RESUMABLE_SIZE);
            while (data.hasRemaining()) writer.write(data);
        }
        System.out.println("resumable upload of " + RESUMABLE_SIZE + " bytes");

        BlobId object = BlobId.of(BUCKET, "direct.txt");
        System.out.println("readAllBytes " + new String(storage.readAllBytes(object), StandardCharsets.UTF_8));
        try (ReadChannel reader = storage.reader(object)) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            while (reader.read(buffer) >= 0) {
                // read to the end
            }
            System.out.println("reader " + new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        }
        Blob metadata = storage.get(object);
        System.out.println("metadata " + metadata.getName() + " " + metadata.getSize());
        int listed = 0;
        for (Blob ignored : storage.list(BUCKET).getValues()) listed++;
        System.out.println("list " + listed);
    }

    private static void grpc(String hostPort) throws Exception {
        Storage storage = StorageOptions.grpc()
                .setHost("http://" + hostPort)
                .setProjectId("tagalong-project")
                .setCredentials(NoCredentials.getInstance())
                .setAttemptDirectPath(false)
                .setRetrySettings(ServiceOptions.getNoRetrySettings())
                .build()
                .getService();
        try {
            System.out.println("bucket " + storage.get(BUCKET).getName());
            BlobInfo info = BlobInfo.newBuilder(BUCKET, "grpc.txt").setContentType("text/plain").build();
            System.out.println("create " + storage.create(info, "hello grpc".getBytes(StandardCharsets.UTF_8)).getName());
            BlobId object = BlobId.of(BUCKET, "grpc.txt");
            System.out.println("readAllBytes " + new String(storage.readAllBytes(object), StandardCharsets.UTF_8));
            Blob metadata = storage.get(object);
            System.out.println("metadata " + metadata.getName() + " " + metadata.getSize());
        } finally {
            storage.close();
        }
        ManagedChannel channel = ManagedChannelBuilder.forTarget(hostPort).usePlaintext().build();
        try {
            Bucket bucket = StorageGrpc.newBlockingStub(channel)
                    .getBucket(GetBucketRequest.newBuilder().setName("projects/_/buckets/" + BUCKET).build());
            System.out.println("own channel: Storage/GetBucket " + bucket.getName());
            HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
            System.out.println("own channel: Health/Check " + health.getStatus());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void plain(String endpoint) throws Exception {
        Storage storage = storage(endpoint);
        System.out.println("bucket " + storage.get(BUCKET).getName());
        BlobInfo direct = BlobInfo.newBuilder(BUCKET, "direct.txt").setContentType("text/plain").build();
        System.out.println("direct upload " + storage.create(direct, "hello gcs".getBytes(StandardCharsets.UTF_8)).getName());
        BlobId object = BlobId.of(BUCKET, "direct.txt");
        System.out.println("readAllBytes " + new String(storage.readAllBytes(object), StandardCharsets.UTF_8));
        Blob metadata = storage.get(object);
        System.out.println("metadata " + metadata.getName() + " " + metadata.getSize());
    }

    private static void googleHttp(String redirecting, String async) throws Exception {
        HttpRequestFactory requests = new NetHttpTransport().createRequestFactory();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Job", "nightly")) {
            HttpResponse redirected = requests.buildGetRequest(new GenericUrl(redirecting)).execute();
            System.out.println("redirected: " + redirected.getStatusCode() + " " + read(redirected.getContent()));
            HttpResponse later = requests.buildGetRequest(new GenericUrl(async)).executeAsync(executor).get();
            System.out.println("executeAsync: " + later.getStatusCode() + " " + read(later.getContent()));
        } finally {
            executor.shutdown();
        }
    }

    private static void signed(String endpoint) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        ServiceAccountCredentials signer = ServiceAccountCredentials.newBuilder()
                .setClientEmail("signer@tagalong-project.iam.gserviceaccount.com")
                .setPrivateKey(generator.generateKeyPair().getPrivate())
                .setProjectId("tagalong-project")
                .build();
        // The signing client's host gives the URL its scheme (http here); withHostName gives host and port.
        Storage storage = storage(endpoint);

        URL viaUrlConnection = sign(storage, signer, endpoint, "signed-url-connection.txt");
        HttpURLConnection connection = (HttpURLConnection) viaUrlConnection.openConnection();
        System.out.println("signed URL via HttpURLConnection: " + connection.getResponseCode() + " "
                + read(connection.getInputStream()));

        URL viaGoogleHttp = sign(storage, signer, endpoint, "signed-google-http.txt");
        HttpResponse response = new NetHttpTransport().createRequestFactory()
                .buildGetRequest(new GenericUrl(viaGoogleHttp.toString())).execute();
        System.out.println("signed URL via google-http-client: " + response.getStatusCode() + " "
                + read(response.getContent()));
    }

    private static URL sign(Storage storage, ServiceAccountCredentials signer, String endpoint, String name) {
        URL url = storage.signUrl(BlobInfo.newBuilder(BUCKET, name).build(), 5, TimeUnit.MINUTES,
                Storage.SignUrlOption.withV4Signature(), Storage.SignUrlOption.signWith(signer),
                Storage.SignUrlOption.withHostName(endpoint), Storage.SignUrlOption.withPathStyle());
        if (!url.getQuery().contains("X-Goog-Signature=")) throw new IllegalStateException("not a V4 signed URL: " + url);
        return url;
    }

    private static String read(InputStream in) throws Exception {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
