package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import io.tagalong.demo.RecordingProxy;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * S3Proxy (in-memory store) with AWS V2/V4 authentication on and a fixed key pair, so every request's signature is
 * really verified, behind the demo's byte-for-byte {@link RecordingProxy}: it keeps each request head (request line
 * and header lines as they arrived, duplicates and all) and changes nothing, so the signed Host reaches S3Proxy as sent.
 * One per test class; buckets and records are cleared before each test.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    public static final String ACCESS_KEY = "tagalong-access-key";
    public static final String SECRET_KEY = "tagalong-secret-key";

    /** One request head as S3Proxy received it. */
    public record Received(String method, String target, List<String[]> headers) {
        /** Path without the query. */
        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        /** Every value of this header (name ignores case), in order. */
        public List<String> all(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).collect(Collectors.toList());
        }

        /** The SignedHeaders list of the SigV4 Authorization header (lower case), empty if there is none. */
        public List<String> signedHeaders() {
            List<String> auth = all("Authorization");
            if (auth.isEmpty()) return List.of();
            for (String part : auth.get(0).split(",")) {
                part = part.trim();
                if (part.startsWith("AWS4-HMAC-SHA256 ")) part = part.substring("AWS4-HMAC-SHA256 ".length()).trim();
                if (part.startsWith("SignedHeaders=")) return Arrays.asList(part.substring("SignedHeaders=".length()).split(";"));
            }
            return List.of();
        }

        /** The header exactly once with this value, and among the signature's SignedHeaders (S3Proxy checked it). */
        public void assertSignedOnce(String name, String value) {
            assertThat(all(name)).as("%s on %s", name, this).containsExactly(value);
            assertThat(signedHeaders()).as("SignedHeaders of %s", this).contains(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return method + " " + target + " " + headers.stream().map(h -> h[0] + ": " + h[1]).collect(Collectors.toList());
        }
    }

    private BlobStoreContext blobStoreContext;
    private S3Proxy s3Proxy;
    private RecordingProxy relay;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        blobStoreContext = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .buildView(BlobStoreContext.class);
        s3Proxy = S3Proxy.builder()
                .blobStore(blobStoreContext.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // The SDK v2 multipart client signs x-amz-mp-object-size, which S3Proxy 2.6.0 does not know.
                .ignoreUnknownHeaders(true)
                .build();
        s3Proxy.start();
        relay = new RecordingProxy(s3Proxy.getPort(), this::record);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        BlobStore store = blobStoreContext.getBlobStore();
        store.list().forEach(bucket -> store.deleteContainer(bucket.getName()));
        received.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        relay.close();
        s3Proxy.stop();
        blobStoreContext.close();
    }

    /** The endpoint programs use: the recorder in front of S3Proxy. */
    public String endpoint() {
        return "http://127.0.0.1:" + relay.port();
    }

    /** Creates a bucket in the store itself, not through the recorder (S3A expects its bucket to exist). */
    public void createBucket(String name) {
        blobStoreContext.getBlobStore().createContainerInLocation(null, name);
    }

    /** Puts an object in the store itself, not through the recorder (a file a job finds there). */
    public void putObject(String bucket, String key, String content) {
        BlobStore store = blobStoreContext.getBlobStore();
        store.putBlob(bucket, store.blobBuilder(key).payload(content).build());
    }

    /** Every request received so far in this test, in arrival order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests whose path starts with this prefix (e.g. "/apache-bucket"). */
    public List<Received> receivedUnder(String pathPrefix) {
        return received.stream().filter(r -> r.path().equals(pathPrefix) || r.path().startsWith(pathPrefix + "/"))
                .collect(Collectors.toList());
    }

    /** The user metadata S3Proxy stored with an object (x-amz-meta-* without the prefix). */
    public Map<String, String> storedMetadata(String bucket, String key) {
        BlobStore store = blobStoreContext.getBlobStore();
        return store.blobMetadata(bucket, key).getUserMetadata();
    }

    private void record(List<String> head) {
        String[] requestLine = head.get(0).split(" ");
        List<String[]> headers = new ArrayList<>();
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        received.add(new Received(requestLine[0], requestLine[1], headers));
    }
}
