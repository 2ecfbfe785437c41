package io.tagalong.bootstrap;

import java.util.List;
import java.util.Locale;

/**
 * The other places a decided header's value goes, where the stores record it ({@code tagalong.s3.log-params},
 * {@code tagalong.user-agent}, {@code tagalong.gcs.audit}). The pipeline decides each header once (sources,
 * precedence, policy, budget); a carrier only takes the value the request ends up with for a header it names, so a
 * refused or dropped header is carried nowhere. Where a carrier may go is the adapter's to say
 * ({@link OutgoingRequest#carriers()}): query parameters only where the SDK has not signed yet, custom audit headers
 * only on Cloud Storage client requests.
 */
final class Carriers {
    /** CloudTrail records {@code userAgent} up to 1 KB and truncates beyond: the whole User-Agent stays within it. */
    static final int MAX_USER_AGENT_BYTES = 1024;
    /** Cloud Storage: at most 4 custom audit headers per request, key (prefix included) 64, value 1,200 characters. */
    static final int MAX_GCS_AUDIT_HEADERS = 4;
    static final int MAX_GCS_AUDIT_NAME = 64;
    static final int MAX_GCS_AUDIT_VALUE = 1200;
    static final String GCS_AUDIT_PREFIX = "x-goog-custom-audit-";
    private static final String ORIGIN = "a carrier of ";

    /** Every header a carrier names, unique ignoring case: per request, values are collected at these positions. */
    final NameList headers = new NameList(4);
    /** Per carrier: the position in {@link #headers} of each header it carries, and what it becomes there. */
    final int[] s3Headers, userAgentHeaders, gcsHeaders;
    final String[] s3Params, userAgentKeys, gcsNames;

    Carriers(List<String> s3, List<String> userAgent, List<String> gcs, Config.Problems p) {
        String[] out = new String[s3.size()];
        s3Headers = positions(Config.S3_LOG_PARAMS, s3, "x-", out, p);
        s3Params = out;
        out = new String[userAgent.size()];
        userAgentHeaders = positions(Config.USER_AGENT, userAgent, "", out, p);
        userAgentKeys = out;
        out = new String[gcs.size()];
        gcsHeaders = positions(Config.GCS_AUDIT, gcs, GCS_AUDIT_PREFIX, out, p);
        gcsNames = out;
    }

    boolean isEmpty() {
        return headers.size() == 0;
    }

    /**
     * What a header becomes: its name lower-cased without a leading {@code x-}, with a prefix. Two headers that
     * become the same name: the first in the list wins, the other is reported once (here, at start).
     */
    private int[] positions(String key, List<String> names, String prefix, String[] outNames, Config.Problems p) {
        int[] at = new int[names.size()];
        int n = 0;
        for (int i = 0; i < names.size(); i++) {
            String header = names.get(i);
            String lower = header.toLowerCase(Locale.ROOT);
            String name = prefix + (lower.startsWith("x-") ? lower.substring(2) : lower);
            String problem = null;
            if (name.length() == prefix.length()) problem = "header " + header + " leaves an empty name";
            else if (prefix.equals(GCS_AUDIT_PREFIX) && name.length() > MAX_GCS_AUDIT_NAME) {
                problem = "header " + header + " gives " + name + ", longer than " + MAX_GCS_AUDIT_NAME + " characters (Cloud Storage's limit)";
            } else if (prefix.equals(GCS_AUDIT_PREFIX) && HeaderPolicy.nameProblem(name) != null) {
                problem = "header " + header + " gives " + name + ": " + HeaderPolicy.nameProblem(name); // checked once, here
            }
            for (int j = 0; j < n && problem == null; j++) {
                if (outNames[j].equals(name)) problem = "header " + header + " gives " + name + " as an earlier entry does; the first is kept";
            }
            if (problem != null) {
                p.entry(key, i, problem);
                continue;
            }
            headers.add(header);
            at[n] = headers.indexOf(header);
            outNames[n++] = name;
        }
        return java.util.Arrays.copyOf(at, n);
    }

    /** What a request being decided offers the carriers. */
    interface Decision {
        /** Decides a header as the pipeline decides any (policy, budget, a value already there). */
        void decide(String name, String value, String origin, boolean checked);

        /** Records a change to undo on a later hop that is not a storage request. */
        void changed(String name, String previous);

        /** For the debug trace, or null. */
        StringBuilder trace();
    }

    /**
     * Applies every carrier the request's layer allows, from the values its headers ended up with.
     *
     * @param values per position of {@link #headers}: the value the request carries for that header, or null
     */
    void apply(OutgoingRequest request, String[] values, Decision decision) {
        int allowed = request.carriers();
        StringBuilder trace = decision.trace();
        if ((allowed & OutgoingRequest.S3_LOG_PARAMS) != 0 && !request.isSigned()) {
            for (int i = 0; i < s3Headers.length; i++) {
                String value = values[s3Headers[i]];
                if (value == null) continue;
                // A parameter the program put there itself is kept.
                if (request.hasQueryParameter(s3Params[i])) {
                    if (trace != null) trace.append(" kept the program's query parameter ").append(s3Params[i]).append(';');
                    continue;
                }
                request.addQueryParameter(s3Params[i], value);
                if (trace != null) trace.append(" query parameter ").append(s3Params[i]).append(';');
            }
        }
        if ((allowed & OutgoingRequest.GCS_AUDIT) != 0 && gcsHeaders.length > 0) {
            if (request.isSigned()) {
                // A signed URL's x-goog-* headers would have to be signed: none is added.
                if (trace != null) trace.append(" no custom audit headers on a signed request;");
            } else {
                int sent = 0;
                for (int i = 0; i < gcsHeaders.length; i++) {
                    String value = values[gcsHeaders[i]];
                    if (value == null) continue;
                    if (value.length() > MAX_GCS_AUDIT_VALUE) {
                        Log.warnOnce("gcs-audit-long:" + gcsNames[i], Config.GCS_AUDIT + ": " + gcsNames[i] + " refused: value longer than "
                                + MAX_GCS_AUDIT_VALUE + " characters (Cloud Storage's limit)");
                        continue;
                    }
                    if (sent == MAX_GCS_AUDIT_HEADERS) {
                        Log.warnOnce("gcs-audit-count:" + gcsNames[i], Config.GCS_AUDIT + ": " + gcsNames[i] + " left out: at most "
                                + MAX_GCS_AUDIT_HEADERS + " custom audit headers per request (Cloud Storage's limit); the first in the list are sent");
                        continue;
                    }
                    // The name passed the policy at start; the value is checked here (a program's own header value
                    // reaches a carrier unchecked), so the decision need not look the name up again.
                    String problem = HeaderPolicy.valueProblem(value);
                    if (problem != null) {
                        Log.warnOnce("gcs-audit-value:" + gcsNames[i], Config.GCS_AUDIT + ": " + gcsNames[i] + " refused: " + problem);
                        continue;
                    }
                    sent++;
                    decision.decide(gcsNames[i], value, ORIGIN + headers.get(gcsHeaders[i]), true);
                }
            }
        }
        if ((allowed & OutgoingRequest.USER_AGENT) != 0 && userAgentHeaders.length > 0) {
            UserAgentElement element = UserAgentElement.of(this, values);
            if (element == null) return;
            if (request.signsUserAgent()) {
                if (trace != null) trace.append(" User-Agent is signed: left as it is;");
                return;
            }
            if (request.deferUserAgent(element)) return; // the client sets its User-Agent later; appended then
            String existing = request.header("User-Agent");
            String base = existing != null ? existing : request.defaultUserAgent();
            if (base == null) {
                // The client sets its own later (only if none is there): the element alone would replace it.
                if (trace != null) trace.append(" no User-Agent yet at this layer: no element;");
                return;
            }
            String changed = element.appendTo(base);
            if (changed == null) return;
            request.setHeader("User-Agent", changed);
            decision.changed("User-Agent", existing);
            if (trace != null) trace.append(" User-Agent element;");
        }
    }
}
