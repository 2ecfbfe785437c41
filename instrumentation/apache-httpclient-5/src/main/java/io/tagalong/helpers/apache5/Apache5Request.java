package io.tagalong.helpers.apache5;

import io.tagalong.bootstrap.OutgoingRequest;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.Targets;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/** An HttpCore 5 request about to be sent, as the pipeline sees it. Header names ignore case in HttpCore. */
final class Apache5Request extends OutgoingRequest {
    private final HttpRequest request;

    private Apache5Request(HttpRequest request, String method, String scheme, String host, int port, String path, String query) {
        super(method, scheme, host, port, path, query);
        this.request = request;
    }

    /** The view of a storage request, or null when it goes elsewhere (or is a proxy CONNECT, or has no target). */
    static Apache5Request ofStorageRequest(Pipeline pipeline, HttpRequest request) {
        String method = request.getMethod();
        URIAuthority authority = request.getAuthority();
        String scheme = request.getScheme();
        // The clients set scheme and authority on every request of the exec chain.
        if (authority == null || scheme == null || "CONNECT".equalsIgnoreCase(method)) return null;
        String pathAndQuery = request.getPath();
        if (pathAndQuery == null) pathAndQuery = "/";
        int queryStart = pathAndQuery.indexOf('?');
        String path = queryStart < 0 ? pathAndQuery : pathAndQuery.substring(0, queryStart);
        String host = authority.getHostName();
        int port = authority.getPort();
        if (!pipeline.isStorageRequest(Targets.Client.HTTP, scheme, host, port, path)) {
            Pipeline.debugNotStorage(method, scheme, host, port, path);
            return null;
        }
        return new Apache5Request(request, method, scheme, host, port, path,
                queryStart < 0 ? null : pathAndQuery.substring(queryStart + 1));
    }

    @Override
    public String header(String name) {
        Header header = request.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    @Override
    public void setHeader(String name, String value) {
        request.removeHeaders(name); // HttpMessage.setHeader would replace only the first of several
        request.addHeader(name, value);
    }

    @Override
    public void removeHeader(String name) {
        request.removeHeaders(name);
    }

    @Override
    protected String instrumentation() {
        return "apache-httpclient-5";
    }

    @Override
    protected Iterable<String> headerNames() {
        java.util.List<String> names = new java.util.ArrayList<String>();
        for (Header h : request.getHeaders()) names.add(h.getName());
        return names;
    }
}
