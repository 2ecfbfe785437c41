package io.tagalong.helpers.awssdk2;

import io.tagalong.bootstrap.OutgoingRequest;
import io.tagalong.bootstrap.UserAgentElement;
import software.amazon.awssdk.http.SdkHttpRequest;

/** An SDK v2 request before signing, as the pipeline sees it; changes go to a copy that the interceptor returns. */
final class SdkRequestView extends OutgoingRequest {
    final SdkHttpRequest.Builder builder;
    private final boolean s3;
    /** Set when the pipeline hands over a User-Agent element: the SDK builds its User-Agent later, before signing. */
    UserAgentElement userAgent;
    /** Query parameters were added (the pipeline's Applied records headers only). */
    boolean queryChanged;

    SdkRequestView(SdkHttpRequest request, boolean s3) {
        super(request.method().name(), request.protocol(), request.host(), request.port(), request.encodedPath(),
                request.encodedQueryParameters().orElse(null));
        this.builder = request.toBuilder();
        this.s3 = s3;
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
    protected int carriers() {
        return s3 ? USER_AGENT | S3_LOG_PARAMS : USER_AGENT;
    }

    @Override
    protected boolean hasQueryParameter(String name) {
        for (String present : builder.rawQueryParameters().keySet()) if (present.equalsIgnoreCase(name)) return true;
        return false;
    }

    /** Raw: the SDK percent-encodes it (RFC 3986, as SigV4's canonical query wants) and its signer signs it. */
    @Override
    protected void addQueryParameter(String name, String value) {
        builder.appendRawQueryParameter(name, value);
        queryChanged = true;
    }

    @Override
    protected boolean deferUserAgent(UserAgentElement element) {
        userAgent = element;
        return true;
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
