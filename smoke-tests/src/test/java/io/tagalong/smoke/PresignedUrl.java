package io.tagalong.smoke;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SigV4 presigned S3 URL (query authentication, path style, only {@code host} signed, unsigned payload), as a
 * storage control plane hands one to a driver. S3Proxy verifies it, so a wrong one is refused, never accepted.
 */
final class PresignedUrl {
    private PresignedUrl() {}

    /** {@code http://<host>/<bucket>/<key>?X-Amz-...}; host includes the port; key has no characters to escape. */
    static String of(String method, String host, String bucket, String key, String accessKey, String secretKey) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String date = now.format(DateTimeFormatter.ofPattern("yyyyMMdd"));
        String amzDate = now.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        String scope = date + "/us-east-1/s3/aws4_request";
        String path = "/" + bucket + "/" + key;
        // Already in canonical (sorted, encoded) order.
        String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + accessKey + "%2F" + scope.replace("/", "%2F")
                + "&X-Amz-Date=" + amzDate + "&X-Amz-Expires=900&X-Amz-SignedHeaders=host";
        String canonicalRequest = method + "\n" + path + "\n" + query + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + HexFormat.of().formatHex(sha256(canonicalRequest));
        byte[] signingKey = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        for (String part : new String[] {"us-east-1", "s3", "aws4_request"}) signingKey = hmac(signingKey, part);
        return "http://" + host + path + "?" + query + "&X-Amz-Signature=" + HexFormat.of().formatHex(hmac(signingKey, stringToSign));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
