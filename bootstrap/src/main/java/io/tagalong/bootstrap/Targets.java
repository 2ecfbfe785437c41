package io.tagalong.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which requests are storage requests ({@code tagalong.targets}). {@link #matches} runs on every request an
 * instrumented client sends, so it is a few string comparisons and allocates nothing.
 */
public final class Targets {
    /** What kind of client a request comes from: an SDK layer knows it talks to S3 or GCS whatever the host. */
    public enum Client { HTTP, S3_SDK, GCS_SDK }

    final boolean all;
    final boolean s3;
    final boolean gcs;
    private final Glob[] hostGlobs;
    private final int[] hostGlobPorts; // -1: any port
    private final UrlPrefix[] prefixes;

    private Targets(boolean all, boolean s3, boolean gcs, List<Glob> globs, List<Integer> globPorts,
                    List<UrlPrefix> prefixes) {
        this.all = all;
        this.s3 = s3;
        this.gcs = gcs;
        this.hostGlobs = globs.toArray(new Glob[0]);
        this.hostGlobPorts = new int[globPorts.size()];
        for (int i = 0; i < hostGlobPorts.length; i++) hostGlobPorts[i] = globPorts.get(i);
        this.prefixes = prefixes.toArray(new UrlPrefix[0]);
    }

    /** Parses the list; entries it cannot read are reported to {@code problems} and left out. */
    static Targets parse(List<String> entries, Config.Problems problems) {
        boolean all = false, s3 = false, gcs = false;
        List<Glob> globs = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<UrlPrefix> prefixes = new ArrayList<>();
        for (int n = 0; n < entries.size(); n++) {
            String e = entries.get(n);
            String lower = e.toLowerCase(Locale.ROOT);
            if (lower.equals("all")) all = true;
            else if (lower.equals("s3")) s3 = true;
            else if (lower.equals("gcs")) gcs = true;
            else if (lower.equals("none")) continue;
            else if (e.contains("://")) {
                UrlPrefix p = UrlPrefix.parse(e);
                if (p == null) problems.entry("tagalong.targets", n, "not a valid URL prefix");
                else prefixes.add(p);
            } else {
                int colon = e.lastIndexOf(':');
                int port = -1;
                String host = e;
                if (colon > 0) {
                    port = parsePort(e.substring(colon + 1));
                    host = e.substring(0, colon);
                }
                if (port == -2 || host.isEmpty() || !isHostGlob(host)) {
                    problems.entry("tagalong.targets", n, "not s3, gcs, all, a host glob or a URL prefix");
                } else {
                    globs.add(new Glob(host));
                    ports.add(port);
                }
            }
        }
        return new Targets(all, s3, gcs, globs, ports, prefixes);
    }

    /** True when a request of this client to this URL is a storage request. */
    public boolean matches(Client client, String scheme, String host, int port, String path) {
        return match(client, scheme, host, port, path) != NO_MATCH;
    }

    static final int NO_MATCH = -1, ALL = -2, S3_CLIENT = -3, GCS_CLIENT = -4, S3_HOST = -5, GCS_HOST = -6;
    private static final int PREFIX = 1 << 20;

    /** Which rule makes it a storage request: one of the constants, a host glob's index, or PREFIX + a prefix's. */
    int match(Client client, String scheme, String host, int port, String path) {
        if (all) return ALL;
        // An SDK client is a storage client whatever its endpoint; its endpoint may also match a host or URL rule.
        if (client == Client.S3_SDK && s3) return S3_CLIENT;
        if (client == Client.GCS_SDK && gcs) return GCS_CLIENT;
        if (host == null) return NO_MATCH;
        if (s3 && isS3Host(host)) return S3_HOST;
        if (gcs && isGcsHost(host, path)) return GCS_HOST;
        if (hostGlobs.length == 0 && prefixes.length == 0) return NO_MATCH;
        int effectivePort = port >= 0 ? port : defaultPort(scheme);
        for (int i = 0; i < hostGlobs.length; i++) {
            if ((hostGlobPorts[i] < 0 || hostGlobPorts[i] == effectivePort) && hostGlobs[i].matches(host)) return i;
        }
        for (int i = 0; i < prefixes.length; i++) {
            if (prefixes[i].matches(scheme, host, effectivePort, OutgoingRequest.slashed(path))) return PREFIX + i;
        }
        return NO_MATCH;
    }

    /** The rule {@link #match} returned, in words (the dry run prints it). */
    String describeMatch(int match) {
        switch (match) {
            case NO_MATCH: return null;
            case ALL: return "all (every request)";
            case S3_CLIENT: return "s3 (a request of an AWS SDK S3 client, whatever its endpoint)";
            case GCS_CLIENT: return "gcs (a request of the Google Cloud Storage client, whatever its host)";
            case S3_HOST: return "s3 (an S3 endpoint of amazonaws.com)";
            case GCS_HOST: return "gcs (a Cloud Storage endpoint of googleapis.com)";
            default:
                if (match >= PREFIX) return "URL prefix " + prefixes[match - PREFIX];
                return "host glob " + hostGlobs[match] + (hostGlobPorts[match] >= 0 ? ":" + hostGlobPorts[match] : "");
        }
    }

    /**
     * S3 endpoints on amazonaws.com (and .amazonaws.com.cn): the service label, read from the right past the
     * region and the dualstack/fips qualifiers, is {@code s3} or starts with {@code s3-} or {@code s3express}.
     * Covers virtual-hosted and path-style, regional and legacy {@code s3-region}, dual-stack, FIPS, access
     * points, multi-region access points, Object Lambda, Outposts and S3 Express.
     */
    static boolean isS3Host(String host) {
        int end;
        if (endsWithIgnoreCase(host, ".amazonaws.com")) end = host.length() - ".amazonaws.com".length();
        else if (endsWithIgnoreCase(host, ".amazonaws.com.cn")) end = host.length() - ".amazonaws.com.cn".length();
        else return false;
        while (end > 0) {
            int start = host.lastIndexOf('.', end - 1) + 1;
            if (isRegion(host, start, end) || isLabel(host, start, end, "dualstack") || isLabel(host, start, end, "fips")) {
                end = start - 1;
                continue;
            }
            return isLabel(host, start, end, "s3") || startsWithLabel(host, start, end, "s3-")
                    || startsWithLabel(host, start, end, "s3express");
        }
        return false;
    }

    /** GCS: storage.googleapis.com and its bucket subdomains, mTLS and regional endpoints, and the JSON API paths. */
    static boolean isGcsHost(String host, String path) {
        if (!endsWithIgnoreCase(host, ".googleapis.com")) return false;
        if (host.equalsIgnoreCase("storage.googleapis.com") || endsWithIgnoreCase(host, ".storage.googleapis.com")
                || host.equalsIgnoreCase("storage.mtls.googleapis.com")) {
            return true;
        }
        if (endsWithIgnoreCase(host, ".rep.googleapis.com") && host.regionMatches(true, 0, "storage.", 0, 8)) return true;
        return host.equalsIgnoreCase("www.googleapis.com") && path != null
                && (path.startsWith("/storage/") || path.startsWith("/upload/storage/"));
    }

    /** An AWS region label such as us-east-1, eu-central-2, us-gov-west-1, cn-north-1: letters-...-digits. */
    private static boolean isRegion(String s, int start, int end) {
        int dashes = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '-') dashes++;
            else if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) return false;
        }
        if (dashes < 2 || end - start < 6) return false;
        int lastDash = s.lastIndexOf('-', end - 1);
        if (lastDash < start || lastDash == end - 1) return false;
        for (int i = lastDash + 1; i < end; i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        char c0 = s.charAt(start), c1 = s.charAt(start + 1);
        return Character.isLetter(c0) && Character.isLetter(c1) && s.charAt(start + 2) == '-';
    }

    private static boolean isLabel(String s, int start, int end, String label) {
        return end - start == label.length() && s.regionMatches(true, start, label, 0, label.length());
    }

    private static boolean startsWithLabel(String s, int start, int end, String prefix) {
        return end - start >= prefix.length() && s.regionMatches(true, start, prefix, 0, prefix.length());
    }

    private static boolean endsWithIgnoreCase(String s, String suffix) {
        return s.regionMatches(true, s.length() - suffix.length(), suffix, 0, suffix.length());
    }

    static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : "http".equalsIgnoreCase(scheme) ? 80 : -1;
    }

    private static boolean isHostGlob(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == '*' || c == '?' || c == '[' || c == ']' || c == ':';
            if (!ok) return false;
        }
        return true;
    }

    /** A port number, -1 for none, -2 for one that cannot be read. */
    private static int parsePort(String s) {
        if (s.equals("*")) return -1;
        try {
            int p = Integer.parseInt(s);
            return p > 0 && p < 65536 ? p : -2;
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        if (all) sb.append("all,");
        if (s3) sb.append("s3,");
        if (gcs) sb.append("gcs,");
        for (int i = 0; i < hostGlobs.length; i++) {
            sb.append(hostGlobs[i]);
            if (hostGlobPorts[i] >= 0) sb.append(':').append(hostGlobPorts[i]);
            sb.append(',');
        }
        for (UrlPrefix p : prefixes) sb.append(p).append(',');
        return sb.length() == 0 ? "(none)" : sb.substring(0, sb.length() - 1);
    }

    /** {@code scheme://host[:port]/path-prefix}, compared field by field. */
    static final class UrlPrefix {
        final String scheme;
        final String host;
        final int port;
        final String pathPrefix;
        private final String text;

        private UrlPrefix(String scheme, String host, int port, String pathPrefix, String text) {
            this.scheme = scheme;
            this.host = host;
            this.port = port;
            this.pathPrefix = pathPrefix;
            this.text = text;
        }

        static UrlPrefix parse(String text) {
            try {
                java.net.URI uri = new java.net.URI(text);
                String scheme = uri.getScheme();
                String host = uri.getHost();
                if (scheme == null || host == null || (defaultPort(scheme) < 0)) return null;
                if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
                int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                return new UrlPrefix(scheme, host, port, path, text);
            } catch (java.net.URISyntaxException e) {
                return null;
            }
        }

        boolean matches(String scheme, String host, int port, String path) {
            if (port != this.port || !this.scheme.equalsIgnoreCase(scheme)) return false;
            String h = host;
            if (!h.equalsIgnoreCase(this.host)) {
                // java.net.URL keeps IPv6 hosts in brackets
                if (!(h.length() == this.host.length() + 2 && h.charAt(0) == '['
                        && h.regionMatches(true, 1, this.host, 0, this.host.length()))) return false;
            }
            if (pathPrefix.isEmpty() || pathPrefix.equals("/")) return true;
            return path != null && path.startsWith(pathPrefix);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
