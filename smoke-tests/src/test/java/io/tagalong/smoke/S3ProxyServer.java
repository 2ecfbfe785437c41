package io.tagalong.smoke;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
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
 * really verified, behind a byte-for-byte recorder: a TCP relay that keeps each request head (request line and
 * header lines as they arrived, duplicates and all) and changes nothing, so the signed Host reaches S3Proxy as sent.
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

        @Override
        public String toString() {
            return method + " " + target + " " + headers.stream().map(h -> h[0] + ": " + h[1]).collect(Collectors.toList());
        }
    }

    private BlobStoreContext blobStoreContext;
    private S3Proxy s3Proxy;
    private ServerSocket relay;
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
        relay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop).start();
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
        return "http://127.0.0.1:" + relay.getLocalPort();
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

    private void acceptLoop() {
        while (!relay.isClosed()) {
            try {
                Socket client = relay.accept();
                daemon(() -> relay(client)).start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try (Socket c = client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), s3Proxy.getPort())) {
            InputStream fromClient = new BufferedInputStream(c.getInputStream());
            OutputStream toUpstream = upstream.getOutputStream();
            daemon(() -> pipe(upstream, c)).start(); // responses go back untouched
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            List<String> head;
            while ((head = readHead(fromClient, raw)) != null) {
                record(head);
                raw.writeTo(toUpstream);
                raw.reset();
                copyBody(head, fromClient, toUpstream);
                toUpstream.flush();
            }
        } catch (IOException e) {
            // A side closed the connection: nothing more to record on it.
        }
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

    private static List<String> readHead(InputStream in, ByteArrayOutputStream raw) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = readLine(in, raw)) != null && !line.isEmpty()) lines.add(line);
        return lines.isEmpty() ? null : lines;
    }

    private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            raw.write(b);
            if (b == '\n') break;
            bytes.write(b);
        }
        if (b == -1 && bytes.size() == 0) return null;
        String line = bytes.toString(StandardCharsets.ISO_8859_1);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static void copyBody(List<String> head, InputStream in, OutputStream out) throws IOException {
        String contentLength = null;
        boolean chunked = false;
        for (String line : head.subList(1, head.size())) {
            String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(line.indexOf(':') + 1).trim();
            if (name.equals("content-length")) contentLength = value;
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) chunked = true;
        }
        if (chunked) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in, raw);
                if (sizeLine == null) throw new IOException("end of stream in chunked body");
                long size = Long.parseLong(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in, raw);
                    } while (trailer != null && !trailer.isEmpty());
                    raw.writeTo(out);
                    return;
                }
                raw.writeTo(out);
                raw.reset();
                copy(in, out, size + 2);
            }
        } else if (contentLength != null) {
            copy(in, out, Long.parseLong(contentLength));
        }
    }

    private static void copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[65536];
        while (count > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, count));
            if (n < 0) throw new IOException("end of stream in body");
            out.write(buffer, 0, n);
            count -= n;
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // Either side closed.
        } finally {
            try {
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static Thread daemon(Runnable body) {
        Thread thread = new Thread(body, "s3proxy-recorder");
        thread.setDaemon(true);
        return thread;
    }
}
