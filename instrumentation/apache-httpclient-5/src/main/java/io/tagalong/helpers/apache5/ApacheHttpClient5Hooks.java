package io.tagalong.helpers.apache5;

import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.Tagalong;
import org.apache.hc.core5.http.HttpRequest;

/**
 * What the patched Apache HttpClient 5 classes call (the async part: {@link ApacheHttpClient5AsyncHooks}).
 *
 * <p>Classic: {@code org.apache.hc.core5.http.impl.io.HttpRequestExecutor#execute} writes every request a classic
 * client sends (each redirect hop, retry and authentication round) on the program's thread: captured and applied
 * there. The exec chain sends copies of the program's request, so nothing injected leaks into a later hop.
 *
 * <p>Only HttpCore 5 types here: httpcore5 may be used without httpclient5.
 */
public final class ApacheHttpClient5Hooks {
    private ApacheHttpClient5Hooks() {}

    /** Entry of HttpRequestExecutor.execute(request, connection, informationCallback, context). */
    public static void beforeExecute(HttpRequest request) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || request == null) return;
            Apache5Request view = Apache5Request.ofStorageRequest(pipeline, request);
            if (view != null) pipeline.apply(view, pipeline.capture());
        } catch (Throwable t) {
            failed(t);
        }
    }

    static void failed(Throwable t) {
        Log.warnOnce("apache-httpclient-5-failed", "apache-httpclient-5: a request was sent unchanged ("
                + t.getClass().getSimpleName() + ")");
    }
}
