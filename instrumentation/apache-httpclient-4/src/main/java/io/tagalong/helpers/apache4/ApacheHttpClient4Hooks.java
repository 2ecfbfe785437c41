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
 * and applied there. Its normal return takes the injected headers off again: a 307/308 redirect is built by copying
 * the request just sent, and must not carry them to another host.
 *
 * <p>Async: {@code org.apache.http.impl.nio.client.MainClientExec#prepare} runs on the program's thread inside
 * {@code execute}; the capture rides in the exchange's HttpContext to {@code generateRequest}, which returns each
 * hop's request on an I/O dispatcher thread just before it is written.
 */
public final class ApacheHttpClient4Hooks {
    private static final String CAPTURE = "io.tagalong.capture";
    private static final String INJECTED = "io.tagalong.injected";

    private ApacheHttpClient4Hooks() {}

    /** Entry of HttpRequestExecutor.execute(request, connection, context). */
    public static void beforeExecute(HttpRequest request, HttpContext context) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || request == null || context == null) return;
            Apache4Request view = Apache4Request.ofStorageRequest(pipeline, request, context);
            if (view == null) return;
            Pipeline.Applied applied = pipeline.apply(view, pipeline.capture());
            if (!applied.isEmpty()) context.setAttribute(INJECTED, new Injected(view, applied));
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Normal return of HttpRequestExecutor.execute: the request as it was before {@link #beforeExecute}. */
    public static void afterExecute(HttpRequest request, HttpContext context) {
        try {
            Object injected = context == null ? null : context.getAttribute(INJECTED);
            if (injected instanceof Injected && ((Injected) injected).view.request == request) {
                context.removeAttribute(INJECTED);
                ((Injected) injected).applied.undo(((Injected) injected).view);
            }
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

    /** What one classic execute injected, to undo on its return. */
    private static final class Injected {
        final Apache4Request view;
        final Pipeline.Applied applied;

        Injected(Apache4Request view, Pipeline.Applied applied) {
            this.view = view;
            this.applied = applied;
        }
    }
}
