package io.tagalong.bootstrap;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code java -jar tagalong-agent.jar check}: the pipeline of this configuration run on one request that is never
 * sent. It prints whether the request is a storage request and by which rule, every header decision with its
 * source (names and sources, never values: the output ends up in tickets and CI logs), and what the audit would
 * report. The lines the agent would log go to stderr as they would in the program.
 */
public final class DryRun {
    public static final int PASS = 0, MISS = 1;

    private DryRun() {}

    /**
     * @param client   {@code http}, {@code s3} or {@code gcs}: the layer that would see the request
     * @param baggage  the program's baggage at the request, W3C format ({@code k=v,...}), or null
     * @param scope    context holder headers ({@code Name=value,...}, percent-encoded values), or null
     * @param mdc      the program's MDC ({@code k=v,...}), or null
     * @return {@link #PASS} or {@link #MISS}
     * @throws IllegalArgumentException a usage error, with its reason
     */
    public static int run(Config config, String method, String client, String url, String baggage, String scope, String mdc,
                          PrintStream out) {
        Targets.Client layer = layer(client);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("the URL must be http:// or https:// with a host");
        }
        if (method == null || !HeaderPolicy.isToken(method)) throw new IllegalArgumentException("--method must be an HTTP method");
        HeaderSet scoped = headers("--scope", scope);
        List<String> baggageEntries = entries("--baggage", baggage);
        List<String> mdcEntries = entries("--mdc", mdc);

        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        out.println("Tagalong " + Tagalong.version() + " check: " + method + " " + scheme + "://" + uri.getHost()
                + (uri.getPort() >= 0 ? ":" + uri.getPort() : "") + path + "   (client " + client + ": " + describe(layer) + ")");
        if (!config.problems().isEmpty()) {
            out.println("configuration problems (these entries are ignored):");
            for (String problem : config.problems()) out.println("  " + problem);
        }
        if (!config.notes().isEmpty()) {
            out.println("configuration notes (kept as configured):");
            for (String note : config.notes()) out.println("  " + note);
        }
        int match = config.targets.match(layer, scheme, uri.getHost(), uri.getPort(), path);
        if (match == Targets.NO_MATCH) {
            out.println("storage request: no (no rule of tagalong.targets matches: " + config.targets.describe() + ")");
            out.println("nothing would be added and nothing audited");
            out.println("result: pass (exit 0)");
            return PASS;
        }
        out.println("storage request: yes, by tagalong.targets rule " + config.targets.describeMatch(match));

        Pipeline pipeline = new Pipeline(config);
        if (!baggageEntries.isEmpty()) pipeline.register(new Entries(ContextSource.Kind.BAGGAGE, baggageEntries));
        if (!mdcEntries.isEmpty()) pipeline.register(new Entries(ContextSource.Kind.MDC, mdcEntries));
        Request request = new Request(method, scheme, uri.getHost(), uri.getPort(), path, uri.getRawQuery());
        ScopedHeaders.Scope opened = scoped.size() > 0 ? ScopedHeaders.open(scoped) : null;
        try {
            pipeline.apply(request, pipeline.capture());
        } finally {
            if (opened != null) opened.close();
        }

        out.println("headers:");
        if (request.decisions.isEmpty()) out.println("  (none: no source names a header for this request)");
        for (String line : request.decisions) out.println("  " + line);

        Audit audit = pipeline.audit;
        out.println("audit:");
        if (!audit.active()) {
            out.println("  no rules (tagalong.required is empty)");
        } else {
            out.println("  rules: " + (audit.rules.length == 0 ? "(none)" : String.join(", ", audit.rules)));
        }
        String[] missing = audit.missing(request, request.ours, request.kept);
        List<String> missed = new ArrayList<>();
        if (missing != null) for (String rule : missing) if (rule != null) missed.add(rule);
        if (!missed.isEmpty()) out.println("  missing: " + String.join(", ", missed) + " (counted, logged once per host and rule)");
        else if (audit.rules.length > 0) out.println("  every rule passes");
        if (config.auditFile != null && (!missed.isEmpty() || config.auditAll)) {
            out.println("  audit file: a line would be appended to " + config.auditFile);
        }
        if (missed.isEmpty()) {
            out.println("result: pass (exit 0)");
            return PASS;
        }
        out.println("result: audit miss (exit 1)");
        return MISS;
    }

    private static Targets.Client layer(String client) {
        if ("http".equals(client)) return Targets.Client.HTTP;
        if ("s3".equals(client)) return Targets.Client.S3_SDK;
        if ("gcs".equals(client)) return Targets.Client.GCS_SDK;
        throw new IllegalArgumentException("--client must be http, s3 or gcs");
    }

    private static String describe(Targets.Client layer) {
        return layer == Targets.Client.HTTP ? "a plain HTTP client's layer"
                : layer == Targets.Client.S3_SDK ? "the AWS SDK's layer, before signing" : "the Cloud Storage client's layer, before signing";
    }

    private static List<String> entries(String option, String list) {
        if (list == null) return new ArrayList<>();
        Config.Problems problems = new Config.Problems();
        List<String> entries = W3CBaggage.parse(list, option, problems);
        if (!problems.list.isEmpty()) throw new IllegalArgumentException(problems.list.get(0));
        return entries;
    }

    private static HeaderSet headers(String option, String list) {
        List<String> entries = entries(option, list);
        HeaderSet.Builder b = new HeaderSet.Builder();
        for (int i = 0; i < entries.size(); i += 2) b.putIfAbsent(entries.get(i), entries.get(i + 1));
        return b.build();
    }

    /** The program's baggage or MDC as given on the command line. */
    private static final class Entries implements ContextSource {
        private final Kind kind;
        private final List<String> entries;

        Entries(Kind kind, List<String> entries) {
            this.kind = kind;
            this.entries = entries;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public Object capture() {
            return entries;
        }

        @Override
        public void forEach(Object captured, EntrySink sink) {
            for (int i = 0; i < entries.size(); i += 2) sink.accept(entries.get(i), entries.get(i + 1));
        }
    }

    /** A request that is never sent: it records the decisions (names and sources) and holds the headers set. */
    private static final class Request extends OutgoingRequest {
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final List<String> decisions = new ArrayList<>();
        final NameList ours = new NameList(4);
        final NameList kept = new NameList(4);

        Request(String method, String scheme, String host, int port, String path, String query) {
            super(method, scheme, host, port, path, query);
        }

        @Override
        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public void setHeader(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public void removeHeader(String name) {
            headers.remove(name);
        }

        @Override
        protected String instrumentation() {
            return "check";
        }

        @Override
        protected Iterable<String> headerNames() {
            return headers.keySet();
        }

        @Override
        protected void decided(Decision decision, String name, String origin, String reason) {
            String shown = HeaderPolicy.printable(name);
            if (decision == Decision.SET || decision == Decision.PRESENT) ours.add(name);
            if (decision == Decision.KEPT) kept.add(name);
            String what = decision == Decision.SET ? "set" : decision == Decision.PRESENT ? "present" : decision == Decision.KEPT
                    ? "kept" : decision == Decision.REFUSED ? "refused" : "no room";
            decisions.add(String.format("%-8s %-28s from %s%s", what, shown, origin,
                    reason != null ? ": " + reason : decision == Decision.NO_ROOM ? ": more than " + HeaderPolicy.MAX_INJECTED_BYTES
                            + " bytes of headers on one request" : ""));
        }
    }
}
