package io.tagalong.helpers.googlehttp;

import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpExecuteInterceptor;
import com.google.api.client.http.HttpRequest;
import io.tagalong.bootstrap.Capture;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.StateField;
import io.tagalong.bootstrap.Tagalong;
import io.tagalong.bootstrap.Targets;

/**
 * Called by {@code com.google.api.client.http.HttpRequest}, the request of every google-http-client transport
 * (NetHttpTransport over HttpURLConnection, Apache, ...), above the transport and before the execute interceptors
 * that add credentials:
 * <ul>
 *   <li>at the entry of {@code execute()}: one call, on the thread that makes it. Its retries reuse the request's
 *       headers, so what is set here goes out with every attempt;</li>
 *   <li>before {@code handleRedirect} returns: the URL may have changed, so the decision is made again;</li>
 *   <li>at the entry of {@code executeAsync(Executor)}: the sources are captured on the caller's thread for the
 *       {@code execute()} that runs on the executor.</li>
 * </ul>
 * A request of the Google Cloud Storage client is recognised whatever its host: it carries the storage client's
 * execute interceptor, or its path is one of the JSON API's.
 */
public final class GoogleHttpRequestHook {
    /** The interceptor that HttpStorageRpc's request initializer puts on every request of the storage client. */
    static final String STORAGE_CLIENT_INTERCEPTOR = "com.google.cloud.storage.spi.v1.HttpStorageRpc$InvocationIdInterceptor";

    private GoogleHttpRequestHook() {}

    public static void beforeExecute(HttpRequest request) {
        decide(request, true);
    }

    public static void afterRedirect(HttpRequest request) {
        decide(request, false);
    }

    public static void beforeExecuteAsync(HttpRequest request) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null) return;
            State state = new State(pipeline.capture());
            state.capturedForNextCall = true;
            StateField.set(request, state);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** @param newCall an {@code execute()} starts: the sources current now apply, unless executeAsync took them */
    private static void decide(HttpRequest request, boolean newCall) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null) return;
            GenericUrl url = request.getUrl();
            String path = url.getRawPath();
            Targets.Client client = isStorageClient(request, path) ? Targets.Client.GCS_SDK : Targets.Client.HTTP;
            boolean storage = pipeline.isStorageRequest(client, url.getScheme(), url.getHost(), url.getPort(), path);
            // Per request that carried injected headers, or whose sources were captured by executeAsync.
            State state = (State) StateField.get(request);
            if (!storage && state == null) {
                Pipeline.debugNotStorage(request.getRequestMethod(), url.getScheme(), url.getHost(), url.getPort(), path);
                return;
            }
            GoogleHttpHeaders view = new GoogleHttpHeaders(request, url, client == Targets.Client.GCS_SDK);
            if (state != null && state.applied != null) {
                state.applied.undo(view); // what an earlier call or hop set, so this one decides afresh
                state.applied = null;
            }
            if (!storage) {
                StateField.set(request, null);
                Pipeline.debugNotStorage(request.getRequestMethod(), url.getScheme(), url.getHost(), url.getPort(), path);
                return;
            }
            if (state == null) {
                state = new State(pipeline.capture());
                StateField.set(request, state);
            } else if (newCall && !state.capturedForNextCall) {
                state.capture = pipeline.capture();
            }
            state.capturedForNextCall = false;
            state.applied = pipeline.apply(view, state.capture);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** The storage client's request (by its interceptor), or a request on a JSON API path of Cloud Storage. */
    static boolean isStorageClient(HttpRequest request, String path) {
        HttpExecuteInterceptor interceptor = request.getInterceptor();
        if (interceptor != null && interceptor.getClass().getName().equals(STORAGE_CLIENT_INTERCEPTOR)) return true;
        return path != null && (path.startsWith("/storage/v1/") || path.startsWith("/upload/storage/v1/")
                || path.startsWith("/download/storage/v1/") || path.startsWith("/batch/storage/v1"));
    }

    private static void failed(Throwable t) {
        boolean misfit = t instanceof LinkageError;
        Log.warnOnce("google-http-client-failed", "google-http-client: a request was sent unchanged ("
                + t.getClass().getSimpleName() + (misfit ? ": this google-http-client version does not fit" : "") + ")");
    }

    private static final class State {
        Capture capture;
        boolean capturedForNextCall;
        Pipeline.Applied applied;

        State(Capture capture) {
            this.capture = capture;
        }
    }
}
