package io.tagalong.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every decision about a storage request, for every client: is it one (targets), which headers apply (sources
 * in precedence order, mapping), which may be sent (policy), and what is missing (audit). Instrumentations
 * only translate their client's request into an {@link OutgoingRequest}.
 */
public final class Pipeline {
    private final Config config;
    /**
     * The headers that do not depend on the thread: BAGGAGE environment over tagalong.headers, merged once and
     * checked once (names and values never change). A request with nothing thread-bound uses this as it is.
     */
    private final Candidates fixed;
    private final Audit audit;
    private final List<ContextSource> sources = new CopyOnWriteArrayList<>();
    private volatile ContextSource[] sourceArray = new ContextSource[0];

    Pipeline(Config config) {
        this.config = config;
        this.audit = new Audit(config.required);
        fixed = new Candidates();
        for (int i = 0; i < config.baggageEnv.size(); i += 2) {
            String header = headerFor(ContextSource.Kind.BAGGAGE, config.baggageEnv.get(i));
            String value = config.baggageEnv.get(i + 1);
            // One that fails the checks stays unchecked: it is refused (and logged) at the first request, as ever.
            if (header != null) fixed.add(header, value, "BAGGAGE environment",
                    HeaderPolicy.nameProblem(header) == null && HeaderPolicy.valueProblem(value) == null);
        }
        HeaderSet statics = config.staticHeaders; // checked by Config: a refused entry is not in it
        for (int i = 0; i < statics.size(); i++) fixed.add(statics.name(i), statics.value(i), "tagalong.headers", true);
    }

    /** A request of this client to this place is a storage request. A few comparisons; allocates nothing. */
    public boolean isStorageRequest(Targets.Client client, String scheme, String host, int port, String path) {
        return config.targets.matches(client, scheme, host, port, path);
    }

    /** The thread-bound sources now, to be applied later wherever the request is sent. */
    public Capture capture() {
        HeaderSet scoped = ScopedHeaders.current();
        ContextSource[] all = sourceArray;
        Object[] values = null; // allocated at the first source that holds something
        for (int i = 0; i < all.length; i++) {
            Object value;
            try {
                value = all[i].capture();
            } catch (Throwable t) {
                Log.warnOnce("source-capture:" + all[i].getClass().getName(), "a " + all[i].kind() + " source failed ("
                        + t.getClass().getSimpleName() + "); it is skipped");
                continue;
            }
            if (value != null) {
                if (values == null) values = new Object[all.length];
                values[i] = value;
            }
        }
        return values == null && scoped.size() == 0 ? Capture.EMPTY : new Capture(scoped, all, values);
    }

    /** Registers a source. Their kind's order is their precedence: holder copies, then baggage, then MDC. */
    public synchronized void register(ContextSource source) {
        sources.add(source);
        List<ContextSource> ordered = new ArrayList<>();
        for (ContextSource.Kind kind : ContextSource.Kind.values()) {
            for (ContextSource s : sources) if (s.kind() == kind) ordered.add(s);
        }
        sourceArray = ordered.toArray(new ContextSource[0]);
    }

    /**
     * Sets the headers that apply to this storage request and reports required ones that are missing.
     * Returns what it changed, so that an adapter can undo it on a later hop that is not a storage request.
     */
    public Applied apply(OutgoingRequest request, Capture capture) {
        Candidates wanted = capture.isEmpty() ? fixed : collect(capture);
        Boolean signed = null; // asked only when a rule needs it: reading a header may cost a reflective call
        Applied applied = null; // allocated at the first header set
        StringBuilder trace = Log.debug ? new StringBuilder(request.describe()).append(':') : null;
        int budget = HeaderPolicy.MAX_INJECTED_BYTES;
        for (int i = 0; i < wanted.size; i++) {
            String name = wanted.names[i], value = wanted.values[i];
            String problem = null;
            if (!wanted.checked[i]) {
                problem = HeaderPolicy.nameProblem(name);
                if (problem == null) problem = HeaderPolicy.valueProblem(value);
            }
            // A signed request that already carries the header with this value (set above the signer by an SDK
            // layer) is no refusal: the header is there, exactly once.
            if (problem == null && HeaderPolicy.isSignatureSensitive(name)) {
                if (signed == null) signed = request.isSigned();
                if (signed && !value.equals(request.header(name))) problem = "the request is already signed";
            }
            if (problem == null) {
                String existing = request.header(name);
                // A value already there stays: the program's own (unless override), or ours from a layer above.
                // Nothing on a signed request changes.
                if (existing != null) {
                    boolean keep = existing.equals(value) || !config.override;
                    if (!keep) {
                        if (signed == null) signed = request.isSigned();
                        keep = signed;
                    }
                    if (keep) {
                        if (trace != null) trace.append(existing.equals(value) ? " present " : " kept the program's ").append(name).append(';');
                        continue;
                    }
                }
                int size = HeaderPolicy.wireSize(name, value);
                if (size <= budget) {
                    budget -= size;
                    request.setHeader(name, value);
                    if (applied == null) applied = new Applied();
                    applied.record(name, existing);
                    if (trace != null) trace.append(" set ").append(name).append(" (").append(wanted.origins[i]).append(");");
                    continue;
                }
                problem = "more than " + HeaderPolicy.MAX_INJECTED_BYTES + " bytes of headers on one request";
            }
            String shown = HeaderPolicy.printable(name);
            Log.warnOnce("refused:" + shown.toLowerCase(Locale.ROOT) + ":" + problem, "header " + shown + " refused: " + problem);
            if (trace != null) trace.append(" refused ").append(shown).append(" (").append(wanted.origins[i]).append(");");
        }
        audit.check(request);
        if (trace != null) Log.debug(trace.toString());
        return applied == null ? Applied.NONE : applied;
    }

    /** The headers wanted on one request with thread-bound sources: those first, then the fixed ones. */
    private Candidates collect(Capture capture) {
        Candidates wanted = new Candidates();
        for (int i = 0; i < capture.scoped.size(); i++) wanted.add(capture.scoped.name(i), capture.scoped.value(i), "context holder", false);
        if (capture.values != null) {
            for (int i = 0; i < capture.sources.length; i++) {
                if (capture.values[i] != null) wanted.addFrom(capture.sources[i], capture.values[i]);
            }
        }
        for (int i = 0; i < fixed.size; i++) wanted.add(fixed.names[i], fixed.values[i], fixed.origins[i], fixed.checked[i]);
        return wanted;
    }

    private String headerFor(ContextSource.Kind kind, String key) {
        boolean baggage = kind == ContextSource.Kind.BAGGAGE;
        String mapped = (baggage ? config.baggageMap : config.mdcMap).get(key.toLowerCase(Locale.ROOT));
        if (mapped != null) return mapped;
        for (Glob g : baggage ? config.baggageAllow : config.mdcAllow) if (g.matches(key)) return key;
        return null;
    }

    /** Logs why nothing is injected into a request that is not a storage request (debug only). */
    public static void debugNotStorage(String method, String scheme, String host, int port, String path) {
        if (Log.debug) {
            Log.debug(method + " " + scheme + "://" + host + (port >= 0 ? ":" + port : "") + OutgoingRequest.slashed(path)
                    + ": not a storage target by its URL; nothing added at this layer");
        }
    }

    /** What {@link #apply} changed: names set and the values they replaced (null: absent before). */
    public static final class Applied {
        /** Nothing changed; shared, never recorded into. */
        static final Applied NONE = new Applied();

        private String[] names = new String[4];
        private String[] previous = new String[4];
        private int size;

        void record(String name, String previousValue) {
            if (size == names.length) {
                names = java.util.Arrays.copyOf(names, size * 2);
                previous = java.util.Arrays.copyOf(previous, size * 2);
            }
            names[size] = name;
            previous[size++] = previousValue;
        }

        public boolean isEmpty() {
            return size == 0;
        }

        /** Puts the request's headers back as they were before {@link #apply}. */
        public void undo(OutgoingRequest request) {
            for (int i = size - 1; i >= 0; i--) {
                if (previous[i] == null) request.removeHeader(names[i]);
                else request.setHeader(names[i], previous[i]);
            }
        }
    }

    /** The headers wanted on one request, first source to name a header wins. */
    private final class Candidates implements ContextSource.EntrySink {
        String[] names = new String[8];
        String[] values = new String[8];
        String[] origins = new String[8];
        /** Name and value passed the policy's syntax and reserved-name checks already (fixed headers). */
        boolean[] checked = new boolean[8];
        int size;
        private ContextSource.Kind kind;
        /** Members of the current BAGGAGE source so far, and their bytes as W3C baggage (key=value,...). */
        private int baggageMembers, baggageBytes;

        void addFrom(ContextSource source, Object captured) {
            kind = source.kind();
            baggageMembers = 0;
            baggageBytes = 0;
            try {
                source.forEach(captured, this);
            } catch (Throwable t) {
                Log.warnOnce("source-read:" + source.getClass().getName(), "a " + kind + " source failed ("
                        + t.getClass().getSimpleName() + "); it is skipped");
            }
        }

        @Override
        public void accept(String key, String value) {
            if (key == null || value == null) return;
            if (kind == ContextSource.Kind.BAGGAGE && !withinBaggageLimits(key, value)) return;
            if (kind == ContextSource.Kind.HOLDER) {
                add(key, value, "context holder", false); // a header already, as the program wrote it
                return;
            }
            String header = headerFor(kind, key);
            if (header != null) add(header, value, kind == ContextSource.Kind.BAGGAGE ? "baggage" : "MDC", false);
        }

        /**
         * Baggage is read within the W3C limits, as the BAGGAGE environment variable is: every member counts,
         * mapped or not; from the first member past 64 members or 8192 bytes on, the rest are ignored.
         */
        private boolean withinBaggageLimits(String key, String value) {
            if (baggageMembers < W3CBaggage.MAX_MEMBERS) {
                int bytes = baggageBytes + (baggageMembers > 0 ? 1 : 0) + W3CBaggage.utf8Length(key) + 1 + W3CBaggage.utf8Length(value);
                if (bytes <= W3CBaggage.MAX_BYTES) {
                    baggageMembers++;
                    baggageBytes = bytes;
                    return true;
                }
                baggageMembers = W3CBaggage.MAX_MEMBERS; // past the byte limit: nothing after this member either
            }
            Log.warnOnce("baggage-limits", "the program's baggage has more than " + W3CBaggage.MAX_MEMBERS + " members or "
                    + W3CBaggage.MAX_BYTES + " bytes; the members beyond the W3C limits were ignored");
            return false;
        }

        void add(String name, String value, String origin, boolean alreadyChecked) {
            for (int i = 0; i < size; i++) if (names[i].equalsIgnoreCase(name)) return;
            if (size == names.length) {
                names = java.util.Arrays.copyOf(names, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
                origins = java.util.Arrays.copyOf(origins, size * 2);
                checked = java.util.Arrays.copyOf(checked, size * 2);
            }
            names[size] = name;
            values[size] = value;
            checked[size] = alreadyChecked;
            origins[size++] = origin;
        }
    }
}
