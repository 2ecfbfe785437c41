package io.tagalong.helpers.okhttp;

import io.tagalong.bootstrap.OutgoingRequest;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** An OkHttp request as the pipeline sees it. Requests are immutable: each change builds the next one. */
final class OkHttpRequestView extends OutgoingRequest {
    Request current;

    OkHttpRequestView(Request request, HttpUrl url) {
        super(request.method(), url.scheme(), url.host(), url.port(), url.encodedPath(), url.encodedQuery());
        this.current = request;
    }

    @Override
    public String header(String name) {
        return current.header(name);
    }

    @Override
    public void setHeader(String name, String value) {
        current = current.newBuilder().header(name, value).build(); // header() replaces every value
    }

    @Override
    public void removeHeader(String name) {
        current = current.newBuilder().removeHeader(name).build();
    }

    @Override
    protected String instrumentation() {
        return "okhttp";
    }

    @Override
    protected Iterable<String> headerNames() {
        return current.headers().names();
    }
}
