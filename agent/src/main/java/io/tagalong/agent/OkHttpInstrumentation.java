package io.tagalong.agent;

import java.util.Arrays;

/**
 * OkHttp 3.9 to 5.x. {@code RealCall.enqueue} (okhttp3.RealCall in 3.x, okhttp3.internal.connection.RealCall in
 * 4.x and 5.x) captures on the program's thread; {@code RealInterceptorChain.proceed} hands each request it passes on
 * to the helper, which replaces the one going into the last interceptor (the one that writes it) with a copy that
 * carries the headers. The method that does the proceeding differs per major version, hence three alternatives.
 */
final class OkHttpInstrumentation {
    private OkHttpInstrumentation() {}

    static final String NAME = "okhttp";
    static final String HELPER = "io/tagalong/helpers/okhttp/OkHttpHelper";
    static final String CHAIN = "okhttp3/internal/http/RealInterceptorChain";
    static final String REQUEST = "Lokhttp3/Request;";
    static final String RESPONSE = "Lokhttp3/Response;";

    static InstrumentationSpec spec() {
        return new InstrumentationSpec(NAME, Arrays.asList(
                enqueue("okhttp3/RealCall"),
                enqueue("okhttp3/internal/connection/RealCall"),
                // 3.9 to 3.12: proceed(request, streamAllocation, httpCodec, connection) does the work
                proceed("(" + REQUEST + "Lokhttp3/internal/connection/StreamAllocation;Lokhttp3/internal/http/HttpCodec;"
                        + "Lokhttp3/internal/connection/RealConnection;)" + RESPONSE, "Lokhttp3/Call;"),
                // 3.13 and 3.14: proceed(request, transmitter, exchange)
                proceed("(" + REQUEST + "Lokhttp3/internal/connection/Transmitter;Lokhttp3/internal/connection/Exchange;)"
                        + RESPONSE, "Lokhttp3/Call;"),
                // 4.x and 5.x: proceed(request) alone
                proceed("(" + REQUEST + ")" + RESPONSE, "Lokhttp3/internal/connection/RealCall;")))
                .withHelpers("io.tagalong.helpers.okhttp.OkHttpRequestView", "io.tagalong.helpers.okhttp.OkHttpHelper")
                .withStateField("okhttp3/RealCall", "okhttp3/internal/connection/RealCall");
    }

    /** At entry: {@code OkHttpHelper.onEnqueue(this)}. */
    private static MethodPatch enqueue(String realCall) {
        return MethodPatch.atEntry(realCall, "enqueue", "(Lokhttp3/Callback;)V", new MethodPatch.Code()
                .aload(0)
                .invokestatic(HELPER, "onEnqueue", "(Lokhttp3/Call;)V"));
    }

    /** At entry: {@code request = OkHttpHelper.beforeProceed(this, this.index, this.interceptors, request)}. */
    private static MethodPatch proceed(String descriptor, String callField) {
        return MethodPatch.atEntry(CHAIN, "proceed", descriptor, new MethodPatch.Code()
                .aload(0)
                .aload(0)
                .getfield(CHAIN, "index", "I")
                .aload(0)
                .getfield(CHAIN, "interceptors", "Ljava/util/List;")
                .aload(1)
                .invokestatic(HELPER, "beforeProceed", "(Lokhttp3/Interceptor$Chain;ILjava/util/List;" + REQUEST + ")" + REQUEST)
                .astore(1)).requiresField("index", "I").requiresField("interceptors", "Ljava/util/List;")
                // the helper calls Chain.call(), which exists from 3.9 on, where the chain got its call field
                .requiresField("call", callField)
                .inGroup("proceed");
    }
}
