package io.tagalong.helpers.apache4;

import io.tagalong.bootstrap.Capture;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.StateField;
import io.tagalong.bootstrap.Tagalong;
import org.apache.http.HttpRequest;
import org.apache.http.protocol.HttpContext;

/**
 * What the patched Apache HttpClient 4 classes call.
 *
 * <p>Classic: {@code org.apache.http.protocol.HttpRequestExecutor#execute} writes every request a classic client
 * sends (each redirect hop, retry and authentication round) on the program's thread, so the sources are captured
 * and applied there, on the client's per-hop copy (HttpRequestWrapper): redirects are built from the program's own
 * request, so nothing injected travels to the next hop.
 *
 * <p>Async: {@code org.apache.http.impl.nio.client.MainClientExec#prepare} runs on the program's thread inside
 * {@code execute}; the capture rides in the state field of the exchange's {@code InternalState} (one per
 * {@code execute}, kept across its redirects) to {@code generateRequest}, which returns each hop's request on an I/O
 * dispatcher thread just before it is written. Never in the HttpContext: programs share one context between
 * concurrent requests (cookies, auth state), and one request would leave with another's capture.
 */
public final class ApacheHttpClient4Hooks {
    private ApacheHttpClient4Hooks() {}

    /** Entry of HttpRequestExecutor.execute(request, connection, context). */
    public static void beforeExecute(HttpRequest request, HttpContext context) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || request == null || context == null) return;
            Apache4Request view = Apache4Request.ofStorageRequest(pipeline, request, context);
            if (view == null) return;
            pipeline.apply(view, pipeline.capture());
        } catch (Throwable t) {
            failed(t);
        }
    }

    /**
     * Entry of the async MainClientExec.prepare, on the thread that called execute.
     * @param exchange the exchange's InternalState (package-private, hence Object)
     */
    public static void captureAsync(Object exchange) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || exchange == null) return;
            // Every exchange: a later hop (a redirect) may reach a target even when the first does not.
            StateField.set(exchange, pipeline.capture());
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Return of the async MainClientExec.generateRequest: the request of one hop, about to be written. */
    public static void beforeAsyncSend(HttpRequest request, Object exchange, HttpContext context) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || request == null || context == null) return;
            Apache4Request view = Apache4Request.ofStorageRequest(pipeline, request, context);
            if (view == null) return;
            Object captured = StateField.get(exchange);
            pipeline.apply(view, captured instanceof Capture ? (Capture) captured : pipeline.capture());
        } catch (Throwable t) {
            failed(t);
        }
    }

    private static void failed(Throwable t) {
        Log.warnOnce("apache-httpclient-4-failed", "apache-httpclient-4: a request was sent unchanged ("
                + t.getClass().getSimpleName() + ")");
    }
}
