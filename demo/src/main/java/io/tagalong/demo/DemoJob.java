package io.tagalong.demo;

import io.tagalong.StorageHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Shows what Tagalong does in one command: a job that writes to and reads from an S3-compatible server with
 * plain HttpURLConnection, and, for every request, the headers the server received. Run it with and without
 * {@code -javaagent:agent/target/tagalong-agent.jar}: the job's code is the same, only the received headers differ.
 */
public final class DemoJob {
    private static final String BUCKET = "demo-bucket";
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
        S3Proxy s3 = S3Proxy.builder()
                .blobStore(blobStore.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        s3.start();
        try (RecordingProxy recorder = new RecordingProxy(s3.getPort(), marked)) {
            String base = "http://localhost:" + recorder.port();
            printIntro(s3.getPort(), base, configured);

            step("create the bucket");
            expect(200, send("PUT", base + "/" + BUCKET, null));

            step("write the object, inside StorageHeaders.with(\"" + SCOPED_HEADER + "\", \"" + SCOPED_VALUE + "\")");
            Response put;
            try (StorageHeaders.Scope ignored = StorageHeaders.with(SCOPED_HEADER, SCOPED_VALUE)) {
                put = send("PUT", base + "/" + BUCKET + "/" + KEY, CONTENT);
            }
            expect(200, put);

            step("read it back");
            Response get = send("GET", base + "/" + BUCKET + "/" + KEY, null);
            expect(200, get);
            System.out.print("   -> body: " + get.body);
            if (!CONTENT.equals(get.body)) {
                System.out.println("   FAILED: the body read back differs from the one written");
                failures++;
            }

            step("read its metadata");
            Response head = send("HEAD", base + "/" + BUCKET + "/" + KEY, null);
            expect(200, head);
            System.out.println("   -> object metadata the server stored (x-amz-meta-* of the response): "
                    + metadata(head.headers));

            step("list the bucket");
            Response list = send("GET", base + "/" + BUCKET + "?list-type=2", null);
            expect(200, list);
            System.out.println("   -> keys: " + keys(list.body));
        } finally {
            s3.stop();
            blobStore.close();
        }
        System.out.println();
        System.out.println(failures == 0 ? "Demo finished: all requests succeeded." : "Demo FAILED: " + failures + " problem(s) above.");
        return failures == 0 ? 0 : 1;
    }

    private void printIntro(int s3Port, String base, Set<String> configured) {
        boolean agent = StorageHeaders.class.getClassLoader() == null;   // the agent puts its copy on the bootstrap class path
        System.out.println("Tagalong demo job");
        System.out.println("  storage server : S3Proxy (in-memory) on 127.0.0.1:" + s3Port
                + ", behind a recorder that prints each request head exactly as it passes to the server");
        System.out.println("  job talks to   : " + base + " with HttpURLConnection");
        System.out.println("  Tagalong agent : " + (agent
                ? "attached (io.tagalong.StorageHeaders comes from the bootstrap class path)"
                : "not attached (add -javaagent:agent/target/tagalong-agent.jar to see injected headers)"));
        if (agent && setting("tagalong.targets") == null) {
            System.out.println("  note           : tagalong.targets is not set, so localhost is not a storage target"
                    + " (default s3,gcs); add -Dtagalong.targets=localhost");
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

    private void expect(int status, Response response) {
        System.out.println("   -> " + response.status + " " + response.reason);
        if (response.status != status) {
            System.out.println("   FAILED: expected " + status + "; server said: " + response.body.trim());
            failures++;
        }
    }

    private static Response send(String method, String url, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setRequestMethod(method);
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "text/plain; charset=utf-8");
            connection.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (in != null) in.close();
        return new Response(status, connection.getResponseMessage(), connection.getHeaderFields(), text);
    }

    private record Response(int status, String reason, Map<String, List<String>> headers, String body) {}

    private static String metadata(Map<String, List<String>> headers) {
        StringBuilder out = new StringBuilder();
        headers.forEach((name, values) -> {
            if (name != null && name.toLowerCase(Locale.ROOT).startsWith("x-amz-meta-")) {
                out.append(out.length() == 0 ? "" : ", ").append(name).append(": ").append(String.join(",", values));
            }
        });
        return out.length() == 0 ? "(none)" : out.toString();
    }

    private static String keys(String listXml) {
        StringBuilder out = new StringBuilder();
        Matcher key = Pattern.compile("<Key>([^<]*)</Key>").matcher(listXml);
        while (key.find()) out.append(out.length() == 0 ? "" : ", ").append(key.group(1));
        return out.length() == 0 ? "(none)" : out.toString();
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
}
