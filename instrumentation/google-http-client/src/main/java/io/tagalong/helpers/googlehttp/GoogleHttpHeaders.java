package io.tagalong.helpers.googlehttp;

import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequest;
import io.tagalong.bootstrap.OutgoingRequest;
import java.util.ArrayList;
import java.util.List;

/** An HttpRequest's headers as the pipeline sees them. HttpHeaders ignores the case of names. */
final class GoogleHttpHeaders extends OutgoingRequest {
    private final HttpHeaders headers;
    /** A request of the Cloud Storage client: it may carry custom audit headers (tagalong.gcs.audit). */
    private final boolean gcs;

    GoogleHttpHeaders(HttpRequest request, GenericUrl url, boolean gcs) {
        super(request.getRequestMethod(), url.getScheme(), url.getHost(), url.getPort(), url.getRawPath(), query(url));
        this.headers = request.getHeaders();
        this.gcs = gcs;
    }

    @Override
    protected int carriers() {
        return gcs ? USER_AGENT | GCS_AUDIT : USER_AGENT;
    }

    /** The raw query, which the pipeline reads to recognise a signed URL (X-Goog-Signature, X-Amz-Signature). */
    private static String query(GenericUrl url) {
        if (url.isEmpty()) return null; // no query parameters: nothing to build
        String built = url.build();
        int q = built.indexOf('?');
        if (q < 0) return null;
        int fragment = built.indexOf('#', q);
        return fragment < 0 ? built.substring(q + 1) : built.substring(q + 1, fragment);
    }

    @Override
    public String header(String name) {
        return headers.getFirstHeaderStringValue(name);
    }

    @Override
    public void setHeader(String name, String value) {
        // A list fits both the typed fields (Cache-Control, ...) and the others, and replaces every earlier value.
        List<String> values = new ArrayList<String>(1);
        values.add(value);
        headers.set(name, values);
    }

    @Override
    public void removeHeader(String name) {
        if (headers.getClassInfo().getFieldInfo(name) != null) headers.set(name, null); // typed fields cannot be removed
        else headers.remove(name);
    }

    @Override
    protected String instrumentation() {
        return "google-http-client";
    }

    @Override
    protected Iterable<String> headerNames() {
        return headers.keySet();
    }
}
