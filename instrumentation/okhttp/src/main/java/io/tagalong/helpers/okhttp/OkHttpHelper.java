package io.tagalong.helpers.okhttp;

import io.tagalong.bootstrap.Capture;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.StateField;
import io.tagalong.bootstrap.Tagalong;
import io.tagalong.bootstrap.Targets;
import java.util.List;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;

/**
 * Called by OkHttp's patched classes (3.12 to 5.x).
 * <ul>
 *   <li>{@code RealCall.enqueue}: the sources are captured on the program's thread and kept for the call, since the
 *       call runs later on a dispatcher thread (in the call's state field). {@code execute()} runs the whole chain on the program's thread, so
 *       its capture is taken at the hop itself.</li>
 *   <li>{@code RealInterceptorChain.proceed} into the last interceptor ({@code CallServerInterceptor}, which writes
 *       the request): every hop (first, redirect, retry, auth follow-up) passes there with its final request,
 *       after the application and network interceptors. Follow-ups are built from the request above OkHttp's
 *       bridge, so a hop never inherits the previous hop's injected headers: each hop is decided on its own.</li>
 * </ul>
 */
public final class OkHttpHelper {
    private OkHttpHelper() {}

    public static void onEnqueue(Call call) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline != null && call != null) StateField.set(call, pipeline.capture());
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Returns the request to hand on: the same one, or a copy with the headers that apply. */
    public static Request beforeProceed(Interceptor.Chain chain, int index, List<?> interceptors, Request request) {
        try {
            if (request == null || index != interceptors.size() - 1) return request; // not the hop's final request yet
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null) return request;
            HttpUrl url = request.url();
            if (!pipeline.isStorageRequest(Targets.Client.HTTP, url.scheme(), url.host(), url.port(), url.encodedPath())) {
                Pipeline.debugNotStorage(request.method(), url.scheme(), url.host(), url.port(), url.encodedPath());
                return request;
            }
            Object enqueued = StateField.get(chain.call());
            // execute() runs the chain on the program's thread: capture here
            Capture capture = enqueued instanceof Capture ? (Capture) enqueued : pipeline.capture();
            OkHttpRequestView view = new OkHttpRequestView(request, url);
            pipeline.apply(view, capture);
            return view.current;
        } catch (Throwable t) {
            failed(t);
            return request;
        }
    }

    private static void failed(Throwable t) {
        Log.warnOnce("okhttp-failed", "okhttp: a request was sent unchanged (" + t.getClass().getSimpleName() + ")");
    }
}
