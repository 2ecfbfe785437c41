package io.tagalong.helpers.awssdk2;

import io.tagalong.bootstrap.OutgoingRequest;
import software.amazon.awssdk.http.SdkHttpRequest;

/** An SDK v2 request before signing, as the pipeline sees it; changes go to a copy that the interceptor returns. */
final class SdkRequestView extends OutgoingRequest {
    final SdkHttpRequest.Builder builder;

    SdkRequestView(SdkHttpRequest request) {
        super(request.method().name(), request.protocol(), request.host(), request.port(), request.encodedPath(),
                request.encodedQueryParameters().orElse(null));
        this.builder = request.toBuilder();
    }

    @Override
    public String header(String name) {
        return builder.firstMatchingHeader(name).orElse(null);
    }

    @Override
    public void setHeader(String name, String value) {
        builder.removeHeader(name); // the SDK's header map ignores case, but drop any other spelling too
        builder.putHeader(name, value);
    }

    @Override
    public void removeHeader(String name) {
        builder.removeHeader(name);
    }

    @Override
    protected String instrumentation() {
        return "aws-sdk-2";
    }

    @Override
    protected Iterable<String> headerNames() {
        return builder.headers().keySet();
    }
}
