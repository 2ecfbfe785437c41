package io.tagalong.bootstrap;

/**
 * What an instrumentation shows the pipeline of one request about to be sent: where it goes and its headers.
 * An adapter builds one only after {@link Pipeline#isStorageRequest} said yes.
 */
public abstract class OutgoingRequest {
    final String method;
    final String scheme;
    final String host;
    final int port;
    final String path;
    final String query;

    /** @param port -1 for the scheme's default; @param query the raw query or null */
    protected OutgoingRequest(String method, String scheme, String host, int port, String path, String query) {
        this.method = method;
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.path = path;
        this.query = query;
    }

    /** The request's current value of a header (names ignore case), or null. */
    public abstract String header(String name);

    /** Sets a header, replacing every value it had: never two copies. */
    public abstract void setHeader(String name, String value);

    public abstract void removeHeader(String name);

    /** The instrumentation that built this view, as named in {@code tagalong.instrumentation.NAME}: counters, audit. */
    protected String instrumentation() {
        return "unknown";
    }

    /** The names of the request's headers, for the audit's glob rules; null when this view cannot list them. */
    protected Iterable<String> headerNames() {
        return null;
    }

    /**
     * Why this layer cannot carry a header of this name although the policy allows it (its protocol reserves the
     * name, as gRPC metadata does), or null. Refused as the policy refuses: one log line, by name.
     */
    protected String layerNameProblem(String name) {
        return null;
    }

    /** What the pipeline decided about one header of this request. */
    public enum Decision { SET, PRESENT, KEPT, REFUSED, NO_ROOM }

    /** Told every decision with its source (and reason, for a refusal); only the dry run ({@code check}) listens. */
    protected void decided(Decision decision, String name, String origin, String reason) {}

    /**
     * Signed already (SigV4 or GCS HMAC Authorization header, or a presigned URL): headers a signature covers
     * must not be added, and existing ones must not change.
     */
    final boolean isSigned() {
        String auth = header("Authorization");
        if (auth != null && (auth.startsWith("AWS4-") || auth.startsWith("AWS ") || auth.startsWith("GOOG4-"))) return true;
        if (query == null) return false;
        for (int i = query.indexOf('='); i > 0; i = query.indexOf('=', i + 1)) {
            if (query.regionMatches(true, i - 9, "signature", 0, 9)) return true; // X-Amz-, X-Goog-, SigV2 Signature=
        }
        return false;
    }

    /** Carriers a layer may apply besides the header itself (bits of {@link #carriers()}). */
    public static final int USER_AGENT = 1, S3_LOG_PARAMS = 2, GCS_AUDIT = 4;

    /**
     * Where this layer may carry decided values besides headers: the User-Agent element by default (where the
     * User-Agent is not signed); an SDK layer before signing adds {@link #S3_LOG_PARAMS} on S3 requests, the
     * google-http-client layer {@link #GCS_AUDIT} on Cloud Storage client requests.
     */
    protected int carriers() {
        return USER_AGENT;
    }

    /** The request has this query parameter (names ignore case). Layers offering {@link #S3_LOG_PARAMS} answer. */
    protected boolean hasQueryParameter(String name) {
        return false;
    }

    /** Adds a raw (not yet encoded) query parameter, which the SDK encodes and signs. */
    protected void addQueryParameter(String name, String value) {
        throw new UnsupportedOperationException("query parameters");
    }

    /**
     * A layer whose client sets its own User-Agent after this point (an SDK) keeps the element and appends it then,
     * still before signing; returns true when it did.
     */
    protected boolean deferUserAgent(UserAgentElement element) {
        return false;
    }

    /** The User-Agent the client sends when the request has none at this point, or null when it sends none. */
    protected String defaultUserAgent() {
        return null;
    }

    /** The request's signature covers its User-Agent (SigV4 or GOOG4 SignedHeaders, in the header or the query). */
    final boolean signsUserAgent() {
        String auth = header("Authorization");
        if (auth != null && (auth.startsWith("AWS4-") || auth.startsWith("GOOG4-"))) {
            int at = auth.indexOf("SignedHeaders=");
            if (at >= 0) {
                int end = auth.indexOf(',', at);
                String list = ";" + auth.substring(at + 14, end < 0 ? auth.length() : end).trim().toLowerCase(java.util.Locale.ROOT) + ";";
                if (list.contains(";user-agent;")) return true;
            }
        }
        if (query == null) return false;
        String lower = query.toLowerCase(java.util.Locale.ROOT);
        int at = lower.indexOf("signedheaders=");
        if (at < 0) return false;
        int end = lower.indexOf('&', at);
        String list = ";" + lower.substring(at + 14, end < 0 ? lower.length() : end).replace("%3b", ";") + ";";
        return list.contains(";user-agent;");
    }

    /** For log lines: the URL without its query, which may hold credentials. */
    String describe() {
        return method + " " + scheme + "://" + host + (port >= 0 ? ":" + port : "") + slashed(path);
    }

    /** A path as it appears in a URL: some clients keep it without its leading slash. */
    static String slashed(String path) {
        return path == null || path.isEmpty() ? "/" : path.charAt(0) == '/' ? path : "/" + path;
    }
}
