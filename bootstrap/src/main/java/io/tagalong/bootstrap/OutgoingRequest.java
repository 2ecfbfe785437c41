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

    /** For log lines: the URL without its query, which may hold credentials. */
    String describe() {
        return method + " " + scheme + "://" + host + (port >= 0 ? ":" + port : "") + slashed(path);
    }

    /** A path as it appears in a URL: some clients keep it without its leading slash. */
    static String slashed(String path) {
        return path == null || path.isEmpty() ? "/" : path.charAt(0) == '/' ? path : "/" + path;
    }
}
