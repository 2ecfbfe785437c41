package io.tagalong.smoke.snowflake4;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import net.snowflake.client.internal.core.OCSPMode;
import net.snowflake.client.internal.jdbc.SnowflakeFileTransferAgent;
import net.snowflake.client.internal.jdbc.SnowflakeFileTransferConfig;
import net.snowflake.client.internal.jdbc.SnowflakeFileTransferMetadata;
import net.snowflake.client.internal.jdbc.SnowflakeFileTransferMetadataV1;
import net.snowflake.client.internal.jdbc.cloud.storage.SnowflakeStorageClient;
import net.snowflake.client.internal.jdbc.cloud.storage.StorageClientFactory;
import net.snowflake.client.jdbc.internal.fasterxml.jackson.databind.ObjectMapper;
import net.snowflake.client.jdbc.internal.software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A PUT and a GET on an S3 stage the way snowflake-jdbc 4.x does them (its classes moved to
 * {@code net.snowflake.client.internal} in 4.x), with no Snowflake server. The PUT response that a server would send
 * (stage location, endpoint, credentials, a 128-bit stage master key) is parsed by the driver's own
 * {@code getFileTransferMetadatas} and uploaded by {@code uploadWithoutConnection} (gzip, client-side encryption,
 * digest metadata). The driver asks for a CRC32 checksum on every S3 upload, which its SDK sends as an aws-chunked
 * body with an unsigned trailer; S3Proxy 2.6.0 cannot read that framing and answers 400 before it checks the
 * signature, so the PUT's outcome is printed, not required. The GET half reads {@code stage/seeded.csv} (put into
 * the store by the test, as a server-side-encrypted stage holds it) through the driver's {@code StorageClientFactory}
 * / {@code SnowflakeS3Client}: metadata, listing, download. Every storage request goes through the driver's
 * relocated AWS SDK v2 {@code S3AsyncClient} on its relocated Netty.
 *
 * <p>Usage: {@code SnowflakeStageJob <endpoint> <access key> <secret key> <bucket>}. Prints one line per step and
 * "ALL OK"; exits 3 when the GET half fails.
 */
public final class SnowflakeStageJob {
    static final String CONTENT = "id,team\n1,ml\n2,ads\n";
    static final String FILE = "data.csv";
    static final String SEEDED = "stage/seeded.csv";

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

        try {
            SnowflakeFileTransferAgent.uploadWithoutConnection(SnowflakeFileTransferConfig.Builder.newInstance()
                    .setSnowflakeFileTransferMetadata(metadata)
                    .setUploadStream(new ByteArrayInputStream(CONTENT.getBytes(StandardCharsets.UTF_8)))
                    .setRequireCompress(true)
                    .setOcspMode(OCSPMode.FAIL_OPEN)
                    .setNetworkTimeoutInMilli(30_000)
                    .setSilentException(true)
                    .build());
            System.out.println("PUT " + FILE + " ok");
        } catch (Exception e) {
            System.out.println("PUT " + FILE + " refused: " + status(e));
        }

        SnowflakeStorageClient client = StorageClientFactory.getFactory().createClient(metadata.getStageInfo(), 1, null, null);
        System.out.println("HEAD " + SEEDED + " length=" + client.getObjectMetadata(bucket, SEEDED).getContentLength());
        int listed = 0;
        for (Object ignored : client.listObjects(bucket, "stage/")) listed++;
        System.out.println("LIST stage/ objects=" + listed);
        String read;
        try (InputStream in = client.downloadToStream(null, "GET @stage", 1, bucket, SEEDED, "us-east-1", "", "01-tagalong")) {
            read = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        client.shutdown();
        boolean same = CONTENT.equals(read);
        System.out.println("GET " + SEEDED + (same ? " as stored" : " CONTENT DIFFERS: " + read));
        System.out.println(same ? "ALL OK" : "FAILED");
        System.exit(same ? 0 : 3);
    }

    /** The HTTP status of the S3 error under the driver's exception, without printing an exception's name. */
    private static String status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof S3Exception) return "status=" + ((S3Exception) t).statusCode();
        }
        return "no S3 status (" + e.getClass().getSimpleName().replace("Exception", "") + ")";
    }
}
