package io.tagalong.smoke.snowflake3;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import net.snowflake.client.core.OCSPMode;
import net.snowflake.client.jdbc.SnowflakeFileTransferAgent;
import net.snowflake.client.jdbc.SnowflakeFileTransferConfig;
import net.snowflake.client.jdbc.SnowflakeFileTransferMetadata;
import net.snowflake.client.jdbc.SnowflakeFileTransferMetadataV1;
import net.snowflake.client.jdbc.cloud.storage.SnowflakeStorageClient;
import net.snowflake.client.jdbc.cloud.storage.StorageClientFactory;
import net.snowflake.client.jdbc.internal.fasterxml.jackson.databind.ObjectMapper;

/**
 * A PUT and a GET on an S3 stage the way snowflake-jdbc 3.x does them, with no Snowflake server: the PUT response
 * that a server would send (stage location, endpoint, credentials, a 128-bit stage master key) is parsed by the
 * driver's own {@code getFileTransferMetadatas} and uploaded by {@code uploadWithoutConnection} (as Snowpipe Streaming
 * does: gzip, client-side encryption, digest metadata); the file is then read back through the driver's
 * {@code StorageClientFactory} / {@code SnowflakeS3Client} (metadata, listing, download and decryption). Every
 * storage request goes through the driver's relocated AWS SDK v1 on its relocated httpclient 4.
 *
 * <p>Usage: {@code SnowflakeStageJob <endpoint> <access key> <secret key> <bucket>}. Prints one line per step and
 * "ALL OK"; exits 3 when a step fails.
 */
public final class SnowflakeStageJob {
    static final String CONTENT = "id,team\n1,ml\n2,ads\n";
    static final String FILE = "data.csv";

    public static void main(String[] args) throws Exception {
        String endpoint = args[0], accessKey = args[1], secretKey = args[2], bucket = args[3];
        String putResponse = "{\"data\":{\"command\":\"UPLOAD\",\"src_locations\":[\"" + FILE + "\"],"
                + "\"encryptionMaterial\":{\"queryStageMasterKey\":\"" + Base64.getEncoder().encodeToString(new byte[16])
                + "\",\"queryId\":\"01-tagalong\",\"smkId\":1},"
                + "\"stageInfo\":{\"locationType\":\"S3\",\"location\":\"" + bucket + "/stage/\",\"region\":\"us-east-1\","
                + "\"endPoint\":\"" + endpoint + "\",\"isClientSideEncrypted\":true,"
                + "\"creds\":{\"AWS_KEY_ID\":\"" + accessKey + "\",\"AWS_SECRET_KEY\":\"" + secretKey + "\"}}}}";
        List<SnowflakeFileTransferMetadata> metadatas =
                SnowflakeFileTransferAgent.getFileTransferMetadatas(new ObjectMapper().readTree(putResponse));
        SnowflakeFileTransferMetadataV1 metadata = (SnowflakeFileTransferMetadataV1) metadatas.get(0);

        SnowflakeFileTransferAgent.uploadWithoutConnection(SnowflakeFileTransferConfig.Builder.newInstance()
                .setSnowflakeFileTransferMetadata(metadata)
                .setUploadStream(new ByteArrayInputStream(CONTENT.getBytes(StandardCharsets.UTF_8)))
                .setRequireCompress(true)
                .setOcspMode(OCSPMode.FAIL_OPEN)
                .setNetworkTimeoutInMilli(30_000)
                .build());
        System.out.println("PUT " + FILE + " ok");

        SnowflakeStorageClient client = StorageClientFactory.getFactory()
                .createClient(metadata.getStageInfo(), 1, metadata.getEncryptionMaterial(), null);
        String key = "stage/" + FILE;
        System.out.println("HEAD " + key + " length=" + client.getObjectMetadata(bucket, key).getContentLength());
        int listed = 0;
        for (Object ignored : client.listObjects(bucket, "stage/")) listed++;
        System.out.println("LIST stage/ objects=" + listed);
        String read;
        try (InputStream in = new GZIPInputStream(client.downloadToStream(null, "GET @stage", 1, bucket, key,
                "us-east-1", "", "01-tagalong"))) {
            read = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        client.shutdown();
        boolean same = CONTENT.equals(read);
        System.out.println("GET " + key + (same ? " decrypted and unzipped as uploaded" : " CONTENT DIFFERS: " + read));
        System.out.println(same ? "ALL OK" : "FAILED");
        System.exit(same ? 0 : 3);
    }
}
