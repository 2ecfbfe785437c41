package io.tagalong.helpers.apache4;

import io.tagalong.bootstrap.OutgoingRequest;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.Targets;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.RequestLine;
import org.apache.http.protocol.HttpContext;

/** An HttpCore 4 request about to be written, as the pipeline sees it. Header names ignore case in HttpCore. */
final class Apache4Request extends OutgoingRequest {
    /** HttpCoreContext.HTTP_TARGET_HOST: set for each hop by the classic exec chain and the async MainClientExec. */
    private static final String TARGET_HOST = "http.target_host";

    final HttpRequest request;

    private Apache4Request(HttpRequest request, String method, String scheme, String host, int port, String path, String query) {
        super(method, scheme, host, port, path, query);
        this.request = request;
    }

    /** The view of a storage request, or null when the request goes elsewhere (or is a proxy CONNECT). */
    static Apache4Request ofStorageRequest(Pipeline pipeline, HttpRequest request, HttpContext context) {
        RequestLine line = request.getRequestLine();
        String method = line.getMethod();
        if ("CONNECT".equalsIgnoreCase(method)) return null;
        String uri = line.getUri();
        // The URI is relative ("/b/k?x") once the client rewrote it, absolute when it goes through a proxy.
        int pathStart = 0;
        if (!uri.startsWith("/")) {
            int authority = uri.indexOf("://");
            if (authority < 0) return null;
            pathStart = uri.indexOf('/', authority + 3);
            if (pathStart < 0) pathStart = uri.length();
        }
        Object target = context.getAttribute(TARGET_HOST);
        if (!(target instanceof HttpHost)) return null;
        HttpHost host = (HttpHost) target;
        int queryStart = uri.indexOf('?', pathStart);
        String path = pathStart == 0 && queryStart < 0 ? uri : uri.substring(pathStart, queryStart < 0 ? uri.length() : queryStart);
        if (!pipeline.isStorageRequest(Targets.Client.HTTP, host.getSchemeName(), host.getHostName(), host.getPort(), path)) {
            Pipeline.debugNotStorage(method, host.getSchemeName(), host.getHostName(), host.getPort(), path);
            return null;
        }
        String query = queryStart < 0 ? null : uri.substring(queryStart + 1);
        return new Apache4Request(request, method, host.getSchemeName(), host.getHostName(), host.getPort(),
                path.isEmpty() ? "/" : path, query);
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
        return "apache-httpclient-4";
    }

    @Override
    protected Iterable<String> headerNames() {
        java.util.List<String> names = new java.util.ArrayList<String>();
        for (Header h : request.getAllHeaders()) names.add(h.getName());
        return names;
    }
}
