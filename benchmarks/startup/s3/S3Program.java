import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The start-up benchmark's AWS SDK v2 program: one S3Client (its default HTTP client, Apache), create a bucket, put,
 * get and delete an object at the local server given as args[0], then print "200 " and what the server reported
 * having received as X-Team on the GET (object metadata "seen-team").
 */
public final class S3Program {
    public static void main(String[] args) {
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create(args[0]))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench-secret")))
                .forcePathStyle(true)
                // What S3-compatible stores need: no aws-chunked uploads with checksum trailers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build()) {
            s3.createBucket(b -> b.bucket("bench"));
            s3.putObject(b -> b.bucket("bench").key("hello.txt"), RequestBody.fromString("hello"));
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("bench").key("hello.txt"));
            s3.deleteObject(b -> b.bucket("bench").key("hello.txt"));
            System.out.println("200 " + got.response().metadata().get("seen-team"));
        }
    }
}
