package io.tagalong.bootstrap;

import java.util.Arrays;

/**
 * What may be injected: header-name syntax, reserved names, value syntax and sizes. Every method returns the
 * reason a header is refused, or {@code null} when it is allowed; reasons never contain the value.
 */
public final class HeaderPolicy {
    public static final int MAX_VALUE_BYTES = 4096;
    public static final int MAX_INJECTED_BYTES = 8192;
    /**
     * S3 refuses a request whose user metadata (keys after {@code x-amz-meta-} and values, in UTF-8) exceeds 2 KB
     * (400 MetadataTooLarge): injected metadata stays within it, so that no injected header makes a request fail.
     */
    public static final int MAX_S3_METADATA_BYTES = 2048;
    private static final String S3_METADATA = "x-amz-meta-";

    static final String[] CONNECTION = {
            "Connection", "Content-Encoding", "Content-Length", "Content-Type", "Expect", "Host", "HTTP2-Settings",
            "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade"};
    static final String[] CREDENTIALS = {
            "Authorization", "Cookie", "Cookie2", "Proxy-Authorization", "X-Amz-Security-Token", "X-Goog-Api-Key",
            "X-Goog-IAM-Authority-Selector", "X-Goog-IAM-Authorization-Token"};
    private static final String[] CREDENTIAL_PREFIXES = {
            // customer-provided encryption keys (SSE-C, CSEK)
            "x-amz-server-side-encryption-customer-", "x-amz-copy-source-server-side-encryption-customer-",
            "x-goog-encryption-", "x-goog-copy-source-encryption-"};
    static final String[] SIGNING = {
            "Content-MD5", "Date", "X-Amz-Algorithm", "X-Amz-Content-Sha256", "X-Amz-Credential", "X-Amz-Date",
            "X-Amz-Decoded-Content-Length", "X-Amz-Expires", "X-Amz-Sdk-Checksum-Algorithm", "X-Amz-Signature",
            "X-Amz-SignedHeaders", "X-Amz-Trailer", "X-Goog-Algorithm", "X-Goog-Content-Sha256", "X-Goog-Credential",
            "X-Goog-Date", "X-Goog-Expires", "X-Goog-Hash", "X-Goog-Signature", "X-Goog-SignedHeaders"};
    private static final String[] SIGNING_PREFIXES = {"x-amz-checksum-"};

    /*
     * Names that change what a storage request does, or what the store or a gateway believes about who sent it:
     * refused when the name was chosen by the data (an allow glob over baggage or MDC keys), allowed when the
     * operator named it. From the S3 API reference (PutObject, GetObject, CopyObject, common request headers),
     * the Cloud Storage XML API and JSON API header references, and the request context keys of IAM policies
     * (aws:Referer, aws:UserAgent, aws:SourceIp behind gateways). The README lists them.
     */
    static final String[] CHANGES_THE_REQUEST = {
            "Accept-Encoding", "Cache-Control", "Content-Disposition", "Content-ID", "Content-Language",
            "Content-Location", "Content-Range", "Content-Transfer-Encoding", "Expires", "Forwarded", "Origin",
            "Range", "Referer", "User-Agent", "Via", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
            "X-HTTP-Method", "X-HTTP-Method-Override", "X-Method-Override", "X-Real-IP", "X-Upload-Content-Length",
            "X-Upload-Content-Type"};
    private static final String[] CHANGES_THE_REQUEST_PREFIXES = {"if-", "x-amz-", "x-goog-", "x-minio-"};
    /** Object metadata and audit annotations: stored or logged, never acted on. */
    private static final String[] DESCRIBES_THE_REQUEST_PREFIXES = {"x-amz-meta-", "x-goog-meta-", "x-goog-custom-audit-"};
    /** Names a glob is tried against to tell whether it lets the data choose a refused name. */
    private static final String[] UNTRUSTED_PROBES = {
            "x-amz-acl", "x-amz-grant-full-control", "x-amz-copy-source", "x-amz-storage-class", "x-amz-tagging",
            "x-amz-website-redirect-location", "x-amz-object-lock-mode", "x-amz-request-payer",
            "x-amz-metadata-directive", "x-goog-acl", "x-goog-copy-source", "x-goog-metadata-directive",
            "x-minio-extract", "If-Match", "Range", "Cache-Control", "Content-Disposition", "Referer", "User-Agent",
            "X-Forwarded-For", "X-HTTP-Method-Override"};

    private HeaderPolicy() {}

    /** Why a header name may never be injected, or null. */
    public static String nameProblem(String name) {
        if (!isToken(name)) return "not a valid header name";
        if (contains(CONNECTION, name)) return "reserved (connection and framing)";
        if (contains(CREDENTIALS, name) || startsWithAny(name, CREDENTIAL_PREFIXES)) return "reserved (credentials)";
        if (contains(SIGNING, name) || startsWithAny(name, SIGNING_PREFIXES)) return "reserved (signing input)";
        return null;
    }

    /**
     * Why a header may not go as gRPC metadata (a Storage RPC), on top of {@link #nameProblem}, or null: gRPC reserves
     * {@code grpc-*} and sets {@code user-agent} from the channel ({@code te}, {@code content-type} and pseudo-headers
     * are refused already), and a {@code -bin} key carries bytes, not text.
     */
    public static String grpcMetadataProblem(String name) {
        if (name.length() >= 4 && name.regionMatches(true, name.length() - 4, "-bin", 0, 4)) return "a binary (-bin) gRPC metadata key";
        if (!isGrpcTextKey(name)) return "not a valid gRPC metadata key";
        if (regionMatches(name, "grpc-")) return "reserved (gRPC)";
        if (name.equalsIgnoreCase("User-Agent")) return "reserved (gRPC: the channel sets it)";
        return null;
    }

    /** A key gRPC carries as text: {@code 0-9 a-z - _ .} (upper case is lowered) and not ending in {@code -bin}. */
    public static boolean isGrpcTextKey(String name) {
        if (name == null || name.isEmpty() || name.regionMatches(true, name.length() - Math.min(4, name.length()), "-bin", 0, 4)) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
        }
        return true;
    }

    /**
     * Why a name chosen by the data (an allow glob over baggage or MDC keys, whose keys a caller picks) may not be
     * injected, or null. Applies on top of {@link #nameProblem}.
     */
    public static String untrustedNameProblem(String name) {
        if (startsWithAny(name, DESCRIBES_THE_REQUEST_PREFIXES)) return null;
        if (contains(CHANGES_THE_REQUEST, name) || startsWithAny(name, CHANGES_THE_REQUEST_PREFIXES)) {
            return "changes what the storage request does; a name from baggage or MDC keys may not (map it by name to allow it)";
        }
        return null;
    }

    /**
     * A name that an allow glob lets the data choose and that {@link #untrustedNameProblem} refuses, or null. Tried
     * on known names and on the glob's literal start, so {@code *}, {@code x-amz-*} and {@code x-amz-grant-*} are all
     * found.
     */
    static String refusedMatch(Glob glob) {
        for (String probe : UNTRUSTED_PROBES) if (glob.matches(probe)) return probe;
        String start = glob.literalStart();
        return !start.isEmpty() && untrustedNameProblem(start + "x") != null ? start + "..." : null;
    }

    /** Why a value may never be injected, or null. Values are visible ASCII, space and tab only. */
    public static String valueProblem(String value) {
        if (value.isEmpty()) return "empty value";
        if (value.length() > MAX_VALUE_BYTES) return "value longer than " + MAX_VALUE_BYTES + " bytes";
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) return "value contains CR, LF or NUL";
            if ((c < 0x20 && c != '\t') || c == 0x7f) return "value contains a control character";
            // Clients disagree on non-ASCII (OkHttp throws), so it is refused everywhere.
            if (c > 0x7e) return "value contains a non-ASCII character";
        }
        if (value.charAt(0) == ' ' || value.charAt(0) == '\t'
                || value.charAt(value.length() - 1) == ' ' || value.charAt(value.length() - 1) == '\t') {
            return "value has leading or trailing whitespace";
        }
        return null;
    }

    /** Headers that a signature covers when present: never added to a request that is already signed. */
    public static boolean isSignatureSensitive(String name) {
        return regionMatches(name, "x-amz-") || regionMatches(name, "x-goog-");
    }

    /** What an {@code x-amz-meta-*} header counts towards S3's user-metadata limit, or 0 for another header. */
    public static int s3MetadataSize(String name, String value) {
        return regionMatches(name, S3_METADATA) ? name.length() - S3_METADATA.length() + value.length() : 0;
    }

    /** Bytes a header adds to the request head: {@code name: value CRLF}. */
    public static int wireSize(String name, String value) {
        return name.length() + 2 + value.length() + 2;
    }

    /** RFC 9110 token: one or more tchar. */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) return false;
        }
        return true;
    }

    /** A name fit to appear in a log line (names from baggage are caller-controlled). */
    public static String printable(String name) {
        return isToken(name) && name.length() <= 256 ? name : "(a name that is not a valid header name)";
    }

    private static boolean regionMatches(String name, String lowerPrefix) {
        return name.regionMatches(true, 0, lowerPrefix, 0, lowerPrefix.length());
    }

    private static boolean startsWithAny(String name, String[] lowerPrefixes) {
        for (String p : lowerPrefixes) if (regionMatches(name, p)) return true;
        return false;
    }

    /**
     * Looked up ignoring case without allocating: this runs for every header of every storage request. The lists are
     * written in case-insensitive order (HeaderPolicyTest checks), so nothing is sorted when the agent starts.
     */
    private static boolean contains(String[] sortedIgnoringCase, String name) {
        return Arrays.binarySearch(sortedIgnoringCase, name, String.CASE_INSENSITIVE_ORDER) >= 0;
    }
}
