package io.tagalong.instrumentation.javahttpclient;

import io.tagalong.bootstrap.Capture;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.OutgoingRequest;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.StateField;
import io.tagalong.bootstrap.Tagalong;
import io.tagalong.bootstrap.Targets;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Called before each constructor of {@code jdk.internal.net.http.HttpRequestImpl} that makes a request the client
 * sends returns; the returned headers become the request's user headers (a final field, which the constructor may
 * set).
 * <ul>
 *   <li>{@code HttpRequestImpl(HttpRequest, ProxySelector)}: the first hop, built inside {@code send}/{@code sendAsync}
 *       on the program's thread: the sources are captured here, for this hop and the ones that follow it.</li>
 *   <li>{@code HttpRequestImpl(URI, String, HttpRequestImpl previous, boolean[, Optional])}: each redirect and
 *       authentication follow-up, on the client's executor. It starts from the previous hop's user headers, so what
 *       the previous hop injected is undone first; then this hop is decided on its own.</li>
 * </ul>
 * Retries of one hop reuse its request object, which carries the headers already.
 *
 * <p>This class is on the bootstrap class path, but java.net.http belongs to the platform class loader, which the
 * bootstrap loader cannot see: its types are Object here and its public API is called by reflection.
 */
public final class JavaHttpClientHook {
    private static volatile Api api;

    private JavaHttpClientHook() {}

    /**
     * @param request     the HttpRequestImpl being constructed (initialised but for the returned headers)
     * @param userHeaders its user headers, a {@code java.net.http.HttpHeaders}
     * @param previous    the previous hop's request, or null for a first hop
     * @return the user headers it is to have
     */
    public static Object userHeaders(Object request, Object userHeaders, Object previous) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || request == null || userHeaders == null) return userHeaders;
            Api api = api(request);
            // Per request object: the capture and what was injected into it.
            State prior = previous == null ? null : (State) StateField.get(previous);
            // A follow-up of a request not seen (the agent attached later) captures here: the best there is.
            Capture capture = prior != null ? prior.capture : pipeline.capture();
            URI uri = (URI) api.uri.invoke(request);
            String method = (String) api.method.invoke(request);
            boolean storage = pipeline.isStorageRequest(Targets.Client.HTTP, uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
            if (!storage) Pipeline.debugNotStorage(method, uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
            if (!storage && (prior == null || prior.applied == null)) {
                StateField.set(request, new State(capture, null)); // a redirect to storage later needs the capture
                return userHeaders;
            }
            @SuppressWarnings("unchecked")
            Headers view = new Headers(method, uri, (Map<String, List<String>>) api.map.invoke(userHeaders));
            if (prior != null && prior.applied != null) {
                view.restoring = true;
                prior.applied.undo(view);
                view.restoring = false;
            }
            Pipeline.Applied applied = storage ? pipeline.apply(view, capture) : null;
            StateField.set(request, new State(capture, applied));
            return view.changed ? api.of.invoke(null, view.headers, api.acceptAll) : userHeaders;
        } catch (Throwable t) {
            Log.warnOnce("java-http-client-failed", "java-http-client: a request was sent unchanged (" + t.getClass().getSimpleName() + ")");
            return userHeaders;
        }
    }

    private static Api api(Object request) throws ReflectiveOperationException {
        Api current = api;
        if (current == null) api = current = new Api(request.getClass().getClassLoader());
        return current;
    }

    /** The public java.net.http methods the hook calls. */
    private static final class Api {
        final Method uri, method, map, of;
        final BiPredicate<String, String> acceptAll = new AcceptAll();

        Api(ClassLoader loader) throws ReflectiveOperationException {
            Class<?> request = Class.forName("java.net.http.HttpRequest", false, loader);
            Class<?> headers = Class.forName("java.net.http.HttpHeaders", false, loader);
            uri = request.getMethod("uri");
            method = request.getMethod("method");
            map = headers.getMethod("map");
            of = headers.getMethod("of", Map.class, BiPredicate.class);
        }
    }

    /** HttpHeaders.of's filter: every header the pipeline left is kept. */
    private static final class AcceptAll implements BiPredicate<String, String> {
        @Override
        public boolean test(String name, String value) {
            return true;
        }
    }

    private static final class State {
        final Capture capture;
        final Pipeline.Applied applied;

        State(Capture capture, Pipeline.Applied applied) {
            this.capture = capture;
            this.applied = applied;
        }
    }

    /** A mutable copy of the user headers. */
    private static final class Headers extends OutgoingRequest {
        final Map<String, List<String>> headers = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        boolean changed;
        /** Undoing the previous hop: a header the redirect dropped (cross-origin filter) stays dropped. */
        boolean restoring;

        Headers(String method, URI uri, Map<String, List<String>> userHeaders) {
            super(method, uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), uri.getRawQuery());
            headers.putAll(userHeaders);
        }

        /** The client's own, a system header that a user header of the same name replaces. */
        @Override
        protected String defaultUserAgent() {
            return "Java-http-client/" + System.getProperty("java.version");
        }

        @Override
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public void setHeader(String name, String value) {
            if (restoring && !headers.containsKey(name)) return;
            headers.remove(name); // the map ignores case: every spelling goes
            List<String> one = new ArrayList<String>(1);
            one.add(value);
            headers.put(name, one);
            changed = true;
        }

        @Override
        public void removeHeader(String name) {
            changed |= headers.remove(name) != null;
        }

        @Override
        protected String instrumentation() {
            return "java-http-client";
        }

        @Override
        protected Iterable<String> headerNames() {
            return headers.keySet();
        }

    }
}
