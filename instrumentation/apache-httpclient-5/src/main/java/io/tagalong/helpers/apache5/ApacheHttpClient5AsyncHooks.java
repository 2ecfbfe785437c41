package io.tagalong.helpers.apache5;

import io.tagalong.bootstrap.Capture;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.StateField;
import io.tagalong.bootstrap.Tagalong;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.http.HttpRequest;

/**
 * What the patched HttpClient 5 async classes call. Every exchange ({@code execute} of the HTTP/1.1 and HTTP/2
 * clients) builds its first {@code AsyncExecChain.Scope} in {@code InternalAbstractHttpAsyncClient#doExecute}, on
 * the program's thread; its redirects build more scopes on an I/O thread, with the same cancellable dependency (the
 * exchange's future). The capture rides in that dependency's state field to the main client exec
 * ({@code HttpAsyncMainClientExec} or {@code H2AsyncMainClientExec}), which receives each hop's request (redirects
 * and retries are copies of the program's request) before it is handed to the I/O reactor. Never in the
 * HttpClientContext: programs share one context between concurrent requests (cookies, auth state), and one request
 * would leave with another's capture.
 */
public final class ApacheHttpClient5AsyncHooks {
    private ApacheHttpClient5AsyncHooks() {}

    /** Before a Scope constructor returns: the exchange's first scope captures; its redirects find that capture. */
    public static void onScope(AsyncExecChain.Scope scope) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || scope == null || scope.cancellableDependency == null) return;
            // Every exchange: a later hop (a redirect) may reach a target even when the first does not.
            if (StateField.get(scope.cancellableDependency) == null) StateField.set(scope.cancellableDependency, pipeline.capture());
        } catch (Throwable t) {
            ApacheHttpClient5Hooks.failed(t);
        }
    }

    /** Entry of the async main client execs' execute: one hop's request, before the I/O reactor writes it. */
    public static void beforeAsyncSend(HttpRequest request, AsyncExecChain.Scope scope) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || request == null || scope == null) return;
            Apache5Request view = Apache5Request.ofStorageRequest(pipeline, request);
            if (view == null) return;
            Object captured = StateField.get(scope.cancellableDependency);
            pipeline.apply(view, captured instanceof Capture ? (Capture) captured : pipeline.capture());
        } catch (Throwable t) {
            ApacheHttpClient5Hooks.failed(t);
        }
    }
}
