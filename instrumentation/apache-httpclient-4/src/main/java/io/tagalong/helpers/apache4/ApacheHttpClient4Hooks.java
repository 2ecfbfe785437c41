package io.tagalong.helpers.apache4;

import io.tagalong.bootstrap.Capture;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.Pipeline;
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
 * {@code execute}; the capture rides in the exchange's HttpContext to {@code generateRequest}, which returns each
 * hop's request on an I/O dispatcher thread just before it is written.
 */
public final class ApacheHttpClient4Hooks {
    private static final String CAPTURE = "io.tagalong.capture";

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

    /** Entry of the async MainClientExec.prepare, on the thread that called execute. */
    public static void captureAsync(HttpContext context) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || context == null) return;
            // Every exchange: a later hop (a redirect) may reach a target even when the first does not.
            context.setAttribute(CAPTURE, pipeline.capture());
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Return of the async MainClientExec.generateRequest: the request of one hop, about to be written. */
    public static void beforeAsyncSend(HttpRequest request, HttpContext context) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || request == null || context == null) return;
            Apache4Request view = Apache4Request.ofStorageRequest(pipeline, request, context);
            if (view == null) return;
            Object captured = context.getAttribute(CAPTURE);
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
