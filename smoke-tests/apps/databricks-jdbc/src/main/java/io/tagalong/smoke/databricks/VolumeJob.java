package io.tagalong.smoke.databricks;

import com.databricks.jdbc.api.IDatabricksVolumeClient;
import com.databricks.jdbc.api.impl.DatabricksConnectionContextFactory;
import com.databricks.jdbc.api.impl.volume.DatabricksVolumeClientFactory;
import com.databricks.jdbc.model.client.filesystem.VolumePutResult;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * Unity Catalog volume transfers the way databricks-jdbc 3.x does them, against a stand-in workspace (the test's
 * WireMock, which answers the Files API's {@code create-upload-url} / {@code create-download-url} with presigned
 * S3 URLs) and an S3 store that checks the presigned signatures. The driver's own volume client, built by its
 * factory from a JDBC URL: {@code putObject} (its relocated httpclient 4), {@code putFiles} (its relocated
 * httpclient 5 async, which also asks the workspace for the URL) and {@code getObject} (httpclient 4).
 *
 * <p>Usage: {@code VolumeJob <workspace host:port> <volume>} (in catalog main, schema default). Prints one line per call and "ALL OK"; exits 3 when one fails.
 */
public final class VolumeJob {
    static final String CONTENT = "id,team\n1,ml\n2,ads\n";

    public static void main(String[] args) throws Exception {
        String url = "jdbc:databricks://" + args[0] + "/default;transportMode=http;ssl=0;httpPath=/sql/1.0/warehouses/tagalong;"
                + "AuthMech=3;UID=token;PWD=dapi-tagalong;EnableTelemetry=0";
        IDatabricksVolumeClient volumes = DatabricksVolumeClientFactory.getVolumeClient(
                DatabricksConnectionContextFactory.create(url, new Properties()));
        String volume = args[1];
        byte[] body = CONTENT.getBytes(StandardCharsets.UTF_8);
        boolean ok = volumes.putObject("main", "default", volume, "sync.csv", new ByteArrayInputStream(body), body.length, true);
        System.out.println("putObject sync.csv " + (ok ? "ok" : "FAILED"));

        List<VolumePutResult> results = volumes.putFiles("main", "default", volume, List.of("async.csv"),
                List.of(new ByteArrayInputStream(body)), List.of((long) body.length), true);
        boolean asyncOk = results.size() == 1 && results.get(0).getStatusCode() / 100 == 2;
        System.out.println("putFiles async.csv " + (asyncOk ? "ok" : "FAILED " + results));

        String read;
        try (InputStream in = volumes.getObject("main", "default", volume, "sync.csv").getContent()) {
            read = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        boolean same = CONTENT.equals(read);
        System.out.println("getObject sync.csv " + (same ? "as uploaded" : "CONTENT DIFFERS: " + read));
        boolean all = ok && asyncOk && same;
        System.out.println(all ? "ALL OK" : "FAILED");
        System.exit(all ? 0 : 3);
    }
}
