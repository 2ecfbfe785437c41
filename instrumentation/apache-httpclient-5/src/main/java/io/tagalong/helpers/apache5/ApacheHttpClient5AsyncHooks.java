package io.tagalong.helpers.apache5;

import io.tagalong.bootstrap.Capture;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.Tagalong;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * What the patched HttpClient 5 async classes call. {@code InternalAbstractHttpAsyncClient#doExecute} runs on the
 * program's thread for every request of the HTTP/1.1 and HTTP/2 clients; the capture rides in the exchange's
 * HttpClientContext to the main client exec ({@code HttpAsyncMainClientExec} or {@code H2AsyncMainClientExec}),
 * which receives each hop's request (redirects and retries are copies of the program's request) before it is
 * handed to the I/O reactor.
 */
public final class ApacheHttpClient5AsyncHooks {
    private static final String CAPTURE = "io.tagalong.capture";

    private ApacheHttpClient5AsyncHooks() {}

    /**
     * Entry of InternalAbstractHttpAsyncClient.doExecute, on the thread that called execute: returns the context
     * to use instead of the program's (the same one, or a new one when the program passed none).
     */
    public static HttpContext captureAsync(HttpContext context) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null) return context;
            HttpContext carrier = context != null ? context : HttpClientContext.create();
            // Every exchange: a later hop (a redirect) may reach a target even when the first does not.
            carrier.setAttribute(CAPTURE, pipeline.capture());
            return carrier;
        } catch (Throwable t) {
            ApacheHttpClient5Hooks.failed(t);
            return context;
        }
    }

    /** Entry of the async main client execs' execute: one hop's request, before the I/O reactor writes it. */
    public static void beforeAsyncSend(HttpRequest request, AsyncExecChain.Scope scope) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || request == null || scope == null) return;
            Apache5Request view = Apache5Request.ofStorageRequest(pipeline, request);
            if (view == null) return;
            Object captured = scope.clientContext == null ? null : scope.clientContext.getAttribute(CAPTURE);
            pipeline.apply(view, captured instanceof Capture ? (Capture) captured : pipeline.capture());
        } catch (Throwable t) {
            ApacheHttpClient5Hooks.failed(t);
        }
    }
}
