package io.tagalong.smoke.gcsconnector;

import com.google.cloud.hadoop.repackaged.gcs.com.google.cloud.NoCredentials;
import com.google.cloud.hadoop.repackaged.gcs.com.google.cloud.ServiceOptions;
import com.google.cloud.hadoop.repackaged.gcs.com.google.cloud.storage.BlobId;
import com.google.cloud.hadoop.repackaged.gcs.com.google.cloud.storage.BlobInfo;
import com.google.cloud.hadoop.repackaged.gcs.com.google.cloud.storage.Storage;
import com.google.cloud.hadoop.repackaged.gcs.com.google.cloud.storage.StorageOptions;
import io.tagalong.StorageHeaders;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A Hadoop job writing and reading one object through the Cloud Storage connector's {@code GoogleHadoopFileSystem}
 * (the shaded jar: its google-http-client, google-cloud-storage and gRPC relocated), unauthenticated, against the
 * test's server, in a scope with header X-Job: nightly. No knowledge of Tagalong beyond the scope.
 *
 * <pre>
 * GcsConnectorJob [http ROOT_URL...] [grpc HOST:PORT...]   in this order, in one JVM:
 *   http ROOT_URL   GoogleHadoopFileSystem's JSON API client (google-http-client, NetHttpTransport) at ROOT_URL
 *   grpc HOST:PORT  the connector's relocated google-cloud-storage over gRPC (plaintext, no credentials): get the
 *                   bucket, write, read, get the object's metadata
 * </pre>
 * Exits 3 when a step fails.
 */
public final class GcsConnectorJob {
    public static final String BUCKET = "tagalong-bucket";

    public static void main(String[] args) throws Exception {
        try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Job", "nightly")) {
            String mode = null;
            for (String arg : args) {
                if (arg.equals("http") || arg.equals("grpc")) {
                    mode = arg;
                } else if ("http".equals(mode)) {
                    Configuration conf = configuration();
                    conf.set("fs.gs.storage.root.url", arg);
                    writeAndRead(conf);
                } else if ("grpc".equals(mode)) {
                    grpc(arg);
                } else {
                    throw new IllegalArgumentException("no mode before " + arg);
                }
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(3);
        }
    }

    /**
     * The connector's own relocated storage client over gRPC, as its STORAGE_CLIENT mode builds it, but at the test's
     * plaintext endpoint: the file system's gRPC client always goes to storage.googleapis.com:443 over TLS.
     */
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
            BlobInfo info = BlobInfo.newBuilder(BUCKET, "connector/part-0.txt").build();
            System.out.println("create " + storage.create(info, "hello connector".getBytes(StandardCharsets.UTF_8)).getName());
            BlobId object = BlobId.of(BUCKET, "connector/part-0.txt");
            System.out.println("readAllBytes " + new String(storage.readAllBytes(object), StandardCharsets.UTF_8));
            System.out.println("metadata " + storage.get(object).getSize());
        } finally {
            storage.close();
        }
    }

    private static Configuration configuration() {
        Configuration conf = new Configuration(false);
        conf.set("fs.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem");
        conf.set("fs.gs.project.id", "tagalong-project");
        conf.set("fs.gs.auth.type", "UNAUTHENTICATED");
        return conf;
    }

    /** Writes connector/part-0.txt (a resumable upload, on the connector's upload thread), then reads existing.txt. */
    private static void writeAndRead(Configuration conf) throws Exception {
        try (FileSystem fs = FileSystem.newInstance(URI.create("gs://" + BUCKET + "/"), conf)) {
            Path path = new Path("gs://" + BUCKET + "/connector/part-0.txt");
            try (OutputStream out = fs.create(path, true)) {
                out.write("hello connector".getBytes(StandardCharsets.UTF_8));
            }
            System.out.println("wrote " + path);
            try (InputStream in = fs.open(new Path("gs://" + BUCKET + "/existing.txt"))) {
                ByteArrayOutputStream read = new ByteArrayOutputStream();
                in.transferTo(read);
                System.out.println("read " + read.toString(StandardCharsets.UTF_8));
            }
        }
    }
}
