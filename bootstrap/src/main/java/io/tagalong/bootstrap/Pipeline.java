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
    /** The smallest header there is, {@code a: b CRLF}: once less than this is left, nothing more fits. */
    private static final int SMALLEST_HEADER = HeaderPolicy.wireSize("a", "b");
    private static final String HOLDER = "context holder";
    private static final String NO_ROOM = "more than " + HeaderPolicy.MAX_INJECTED_BYTES + " bytes of headers on one request";

    private final Config config;
    /**
     * The headers that do not depend on the thread: BAGGAGE environment over tagalong.headers, merged once and
     * checked once (names and values never change). A request with nothing thread-bound uses this as it is.
     */
    private final Fixed fixed;
    final Audit audit;
    final Counters counters;
    private final Carriers carriers;
    private final List<ContextSource> sources = new CopyOnWriteArrayList<>();
    private volatile ContextSource[] sourceArray = new ContextSource[0];

    Pipeline(Config config) {
        this.config = config;
        String[] rules = Audit.rules(config.required);
        this.counters = new Counters(rules);
        this.audit = new Audit(config, counters, rules);
        this.carriers = config.carriers;
        fixed = new Fixed();
        for (int i = 0; i < config.baggageEnv.size(); i += 2) {
            String header = headerFor(ContextSource.Kind.BAGGAGE, config.baggageEnv.get(i), null);
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
     *
     * <p>Candidates are decided one by one in precedence order (context holder, the program's sources in
     * registered order, then the fixed headers); the first to name a header wins. The work is bounded by what can
     * be sent: once the rest of {@link HeaderPolicy#MAX_INJECTED_BYTES} cannot hold even the smallest header,
     * nothing further is examined, and a source not read yet is not read at all.
     */
    public Applied apply(OutgoingRequest request, Capture capture) {
        Counters.Of counts = counters.of(request.instrumentation());
        counts.requests.increment();
        Injection in = new Injection(request, capture.scoped, counts);
        decideThreadBound(in, capture);
        int i;
        for (i = 0; i < fixed.size() && !in.full; i++) {
            String name = fixed.names.get(i);
            if (!in.namedBefore(name)) in.decide(name, fixed.values[i], fixed.origins[i], fixed.checked[i]);
        }
        if (i < fixed.size()) in.skipped = true;
        if (in.carried != null) carriers.apply(request, in.carried, in);
        in.reportDropped();
        if (in.set > 0) counts.set.add(in.set);
        audit.check(request, counts, in.ours, in.kept);
        if (in.trace != null) Log.debug(in.trace.toString());
        return in.applied == null ? Applied.NONE : in.applied;
    }

    /** Context holder, then the program's sources in registered order: the candidates that depend on the thread. */
    private static void decideThreadBound(Injection in, Capture capture) {
        HeaderSet scoped = capture.scoped;
        int i = 0;
        for (; i < scoped.size() && !in.full; i++) in.decide(scoped.name(i), scoped.value(i), HOLDER, false);
        if (i < scoped.size()) in.skipped = true;
        if (capture.values != null) {
            for (i = 0; i < capture.sources.length; i++) {
                if (capture.values[i] != null) in.addFrom(capture.sources[i], capture.values[i]);
            }
        }
    }

    /**
     * What the thread-bound sources of a capture decide, by the same rules as a request (mapping, policy, size),
     * without the fixed headers and the audit: the context that a Spark job carries to its tasks.
     */
    public HeaderSet contextHeaders(Capture capture) {
        if (capture.isEmpty()) return HeaderSet.EMPTY;
        Collected collected = new Collected();
        Injection in = new Injection(collected, capture.scoped, counters.of("spark"));
        decideThreadBound(in, capture);
        in.reportDropped();
        if (in.trace != null) Log.debug(in.trace.toString());
        return collected.headers.build();
    }

    Config config() {
        return config;
    }

    /** A request that only collects what is decided for it. */
    private static final class Collected extends OutgoingRequest {
        final HeaderSet.Builder headers = new HeaderSet.Builder();

        Collected() {
            super("JOB", "spark", "driver", -1, "/", null);
        }

        @Override
        public String header(String name) {
            return null; // only names not decided yet are offered
        }

        @Override
        public void setHeader(String name, String value) {
            headers.putIfAbsent(name, value);
        }

        @Override
        public void removeHeader(String name) {}

        @Override
        String describe() {
            return "a Spark job's context";
        }
    }

    /**
     * The header a baggage or MDC key becomes: the name the operator mapped it to; else, when an allow glob matches
     * it, the key itself, a name the data chose, which may not be one that changes what the request does (refused
     * here, so that it never claims the name from a source below); else null.
     */
    private String headerFor(ContextSource.Kind kind, String key, Injection in) {
        boolean baggage = kind == ContextSource.Kind.BAGGAGE;
        String mapped = (baggage ? config.baggageMap : config.mdcMap).get(key.toLowerCase(Locale.ROOT));
        if (mapped != null) return mapped;
        for (Glob g : baggage ? config.baggageAllow : config.mdcAllow) {
            if (g.matches(key)) {
                String problem = HeaderPolicy.untrustedNameProblem(key);
                if (problem == null) return key;
                refused(key, problem);
                if (in != null) in.note(OutgoingRequest.Decision.REFUSED, key, in.origin, problem);
                return null;
            }
        }
        return null;
    }

    /** One line per name and reason: the name (if printable), never the value. */
    private static void refused(String name, String problem) {
        String shown = HeaderPolicy.printable(name);
        Log.warnOnce("refused:" + shown.toLowerCase(Locale.ROOT) + ":" + problem, "header " + shown + " refused: " + problem);
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

    /** The headers that do not depend on the thread, unique ignoring case, in precedence order. */
    private static final class Fixed {
        final NameList names = new NameList(8);
        String[] values = new String[8];
        String[] origins = new String[8];
        /** Name and value passed the policy's syntax and reserved-name checks already. */
        boolean[] checked = new boolean[8];

        int size() {
            return names.size();
        }

        void add(String name, String value, String origin, boolean alreadyChecked) {
            if (!names.add(name)) return;
            int i = names.size() - 1;
            if (i == values.length) {
                values = java.util.Arrays.copyOf(values, i * 2);
                origins = java.util.Arrays.copyOf(origins, i * 2);
                checked = java.util.Arrays.copyOf(checked, i * 2);
            }
            values[i] = value;
            origins[i] = origin;
            checked[i] = alreadyChecked;
        }
    }

    /** One request being decided: what is left of the byte budget, what was set, and what was named already. */
    private final class Injection implements ContextSource.EntrySink, Carriers.Decision {
        final OutgoingRequest request;
        private final HeaderSet scoped;
        /** Headers named by the program's sources so far (the scope's names are unique by themselves). */
        private NameList named;
        private Boolean signed; // asked only when a rule needs it: reading a header may cost a reflective call
        Applied applied; // allocated at the first header set
        final StringBuilder trace = Log.debug ? new StringBuilder() : null;
        private int budget = HeaderPolicy.MAX_INJECTED_BYTES;
        /** S3 user metadata injected so far (HeaderPolicy.MAX_S3_METADATA_BYTES). */
        private int metadataBytes;
        /** Not even the smallest header fits any more: nothing further is examined. */
        boolean full;
        /** Entries were left unexamined because the request was full. */
        boolean skipped;
        private int dropped;
        private String firstDropped;
        // The source being read: its kind, and how much baggage it has yielded (W3C limits).
        private ContextSource.Kind kind;
        private String origin;
        private int baggageMembers, baggageBytes;
        /** The values this request carries for the headers a carrier names (Carriers.headers), once one is decided. */
        String[] carried;

        final Counters.Of counts;
        /** Names Tagalong set, or found set with its value by a layer above; names whose program value was kept. */
        NameList ours, kept;
        /** The audit reads the names above: collected only then. */
        private final boolean auditing = audit.active();
        /** Headers set: counted once per request. */
        int set;

        Injection(OutgoingRequest request, HeaderSet scoped, Counters.Of counts) {
            this.request = request;
            this.scoped = scoped;
            this.counts = counts;
            if (trace != null) trace.append(request.describe()).append(':');
        }

        /** A header that the context holder or a source named already: the first to name it wins. */
        boolean namedBefore(String name) {
            return scoped.indexOf(name) >= 0 || named != null && named.indexOf(name) >= 0;
        }

        void addFrom(ContextSource source, Object captured) {
            if (full) {
                skipped = true;
                return;
            }
            kind = source.kind();
            origin = kind == ContextSource.Kind.HOLDER ? HOLDER : kind == ContextSource.Kind.BAGGAGE ? "baggage" : "MDC";
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
            if (full) {
                skipped = true;
                return;
            }
            if (key == null || value == null) return;
            if (kind == ContextSource.Kind.BAGGAGE && !withinBaggageLimits(key, value)) return;
            // A holder copy's entries are headers already, as the program wrote them; the others are mapped.
            String header = kind == ContextSource.Kind.HOLDER ? key : headerFor(kind, key, this);
            if (header == null || scoped.indexOf(header) >= 0) return;
            if (named == null) named = new NameList(8);
            if (named.add(header)) decide(header, value, origin, false);
        }

        /**
         * Baggage is read within the W3C limits, as the BAGGAGE environment variable is: every member counts,
         * mapped or not; from the first member past 64 members or 8192 bytes on, the rest are ignored.
         */
        private boolean withinBaggageLimits(String key, String value) {
            if (baggageMembers > W3CBaggage.MAX_MEMBERS) return false; // past the limits already, and logged
            if (baggageMembers < W3CBaggage.MAX_MEMBERS) {
                int bytes = baggageBytes + (baggageMembers > 0 ? 1 : 0) + W3CBaggage.utf8Length(key) + 1 + W3CBaggage.utf8Length(value);
                if (bytes <= W3CBaggage.MAX_BYTES) {
                    baggageMembers++;
                    baggageBytes = bytes;
                    return true;
                }
            }
            baggageMembers = W3CBaggage.MAX_MEMBERS + 1;
            Log.warnOnce("baggage-limits", "the program's baggage has more than " + W3CBaggage.MAX_MEMBERS + " members or "
                    + W3CBaggage.MAX_BYTES + " bytes; the members beyond the W3C limits were ignored");
            return false;
        }

        /** Sets one header, the first candidate for its name, if policy, the request and the budget allow it. */
        public void decide(String name, String value, String origin, boolean checked) {
            // First, as it costs nothing: a header that cannot fit is dropped whole, unexamined, whatever it holds.
            int size = HeaderPolicy.wireSize(name, value);
            if (size > budget) {
                if (dropped++ == 0) firstDropped = name;
                if (trace != null) trace.append(" no room for ").append(HeaderPolicy.printable(name)).append(" (").append(origin).append(");");
                note(OutgoingRequest.Decision.NO_ROOM, name, origin, null);
                return;
            }
            String problem = null;
            if (!checked) {
                problem = HeaderPolicy.nameProblem(name);
                if (problem == null) problem = HeaderPolicy.valueProblem(value);
            }
            if (problem == null) problem = request.layerNameProblem(name);
            int metadata = HeaderPolicy.s3MetadataSize(name, value); // ASCII: characters are bytes
            if (problem == null && metadataBytes + metadata > HeaderPolicy.MAX_S3_METADATA_BYTES) {
                problem = "more than " + HeaderPolicy.MAX_S3_METADATA_BYTES + " bytes of x-amz-meta-* metadata on one request"
                        + " (S3 refuses the request beyond)";
            }
            // A signed request that already carries the header with this value (set above the signer by an SDK
            // layer) is no refusal: the header is there, exactly once.
            if (problem == null && HeaderPolicy.isSignatureSensitive(name)) {
                if (signed == null) signed = request.isSigned();
                if (signed && !value.equals(request.header(name))) problem = "the request is already signed";
            }
            if (problem != null) {
                refused(name, problem);
                if (trace != null) trace.append(" refused ").append(HeaderPolicy.printable(name)).append(" (").append(origin).append(");");
                note(OutgoingRequest.Decision.REFUSED, name, origin, problem);
                return;
            }
            String existing = request.header(name);
            // A value already there stays: the program's own (unless override), or ours from a layer above.
            // Nothing on a signed request changes.
            if (existing != null) {
                boolean same = existing.equals(value);
                boolean keep = same || !config.override;
                if (!keep) {
                    if (signed == null) signed = request.isSigned();
                    keep = signed;
                }
                if (keep) {
                    // Ours from a layer above counts as injected, so that every layer agrees on what fits.
                    if (same) spend(size, metadata);
                    if (trace != null) trace.append(same ? " present " : " kept the program's ").append(name).append(';');
                    note(same ? OutgoingRequest.Decision.PRESENT : OutgoingRequest.Decision.KEPT, name, origin, null);
                    carry(name, existing);
                    return;
                }
            }
            spend(size, metadata);
            request.setHeader(name, value);
            if (applied == null) applied = new Applied();
            applied.record(name, existing);
            if (trace != null) trace.append(" set ").append(name).append(" (").append(origin).append(");");
            note(OutgoingRequest.Decision.SET, name, origin, null);
            carry(name, value);
        }

        /** The value the request carries for a header, kept for the carriers that name it. */
        private void carry(String name, String value) {
            if (carriers.isEmpty()) return;
            int at = carriers.headers.indexOf(name);
            if (at < 0) return;
            if (carried == null) carried = new String[carriers.headers.size()];
            carried[at] = value;
        }

        @Override
        public void changed(String name, String previous) {
            if (applied == null) applied = new Applied();
            applied.record(name, previous);
        }

        @Override
        public StringBuilder trace() {
            return trace;
        }

        /** Counts a decision, keeps the names the audit needs, and tells the request (the dry run listens). */
        void note(OutgoingRequest.Decision decision, String name, String origin, String reason) {
            if (decision == OutgoingRequest.Decision.SET || decision == OutgoingRequest.Decision.PRESENT) {
                if (decision == OutgoingRequest.Decision.SET) set++;
                if (auditing) {
                    if (ours == null) ours = new NameList(4);
                    ours.add(name);
                }
            } else if (decision == OutgoingRequest.Decision.KEPT) {
                counts.kept.increment();
                if (auditing) {
                    if (kept == null) kept = new NameList(4);
                    kept.add(name);
                }
            } else {
                counts.refused(reason != null ? reason : NO_ROOM);
            }
            request.decided(decision, name, origin, reason);
        }

        private void spend(int size, int metadata) {
            metadataBytes += metadata;
            budget -= size;
            if (budget < SMALLEST_HEADER) full = true;
        }

        /** One line for everything the byte budget left out of this request (not one per name). */
        void reportDropped() {
            if (dropped == 0 && !skipped) return;
            String limit = "more than " + HeaderPolicy.MAX_INJECTED_BYTES + " bytes of headers on one request";
            String notExamined = "the entries after the limit was reached were not examined";
            if (trace != null && skipped) trace.append(" no room for the rest;");
            if (dropped == 0) {
                Log.warnOnce("refused-size:", limit + "; " + notExamined);
                return;
            }
            String shown = HeaderPolicy.printable(firstDropped);
            Log.warnOnce("refused-size:" + shown.toLowerCase(Locale.ROOT), "header " + shown + " refused: " + limit + "; "
                    + dropped + (dropped == 1 ? " header" : " headers") + " dropped whole" + (skipped ? ", and " + notExamined : ""));
        }
    }
}
