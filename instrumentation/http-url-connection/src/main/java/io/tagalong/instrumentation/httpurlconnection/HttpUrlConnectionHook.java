package io.tagalong.instrumentation.httpurlconnection;

import io.tagalong.bootstrap.Capture;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.OutgoingRequest;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.StateField;
import io.tagalong.bootstrap.Tagalong;
import io.tagalong.bootstrap.Targets;
import sun.net.www.MessageHeader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.List;
import java.util.Map;

/**
 * Called at the entry of {@code sun.net.www.protocol.http.HttpURLConnection#writeRequests()}, which runs once
 * for every request the connection writes: the first hop, each redirect hop and each retry, http and https
 * (the https connection delegates to a subclass). So the decision is made per hop, before the request line is
 * written, on the program's thread.
 *
 * <p>The sources are captured at the connection's first hop and reused for its later hops. A hop that is not a
 * storage request first gets back the headers it had before an earlier hop's injection.
 */
public final class HttpUrlConnectionHook {
    private HttpUrlConnectionHook() {}

    /**
     * @param connection the connection about to write one request
     * @param requests   its {@code sun.net.www.MessageHeader} of request headers (the patch passes it as an Object, so the
     *                   hook's signature names no JDK internal)
     */
    public static void beforeWriteRequests(HttpURLConnection connection, Object requests) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || requests == null) return;
            URL url = connection.getURL();
            boolean storage = pipeline.isStorageRequest(Targets.Client.HTTP, url.getProtocol(), url.getHost(), url.getPort(), url.getPath());
            // Per connection that carried injected headers: the capture and what the last hop changed.
            State state = (State) StateField.get(connection);
            if (!storage && state == null) {
                Pipeline.debugNotStorage(connection.getRequestMethod(), url.getProtocol(), url.getHost(), url.getPort(), url.getPath());
                return;
            }
            Headers view = new Headers(connection, url,
                    connection instanceof RequestHeaders ? (RequestHeaders) connection : new Direct(requests));
            if (state != null && state.applied != null && state.requests == requests) state.applied.undo(view);
            if (!storage) {
                StateField.set(connection, null);
                Pipeline.debugNotStorage(connection.getRequestMethod(), url.getProtocol(), url.getHost(), url.getPort(), url.getPath());
                return;
            }
            if (state == null) {
                state = new State(pipeline.capture());
                StateField.set(connection, state);
            }
            state.requests = requests;
            state.applied = pipeline.apply(view, state.capture);
        } catch (Throwable t) {
            Log.warnOnce("http-url-connection-failed", "http-url-connection: a request was sent unchanged ("
                    + t.getClass().getSimpleName() + ")");
        }
    }

    private static final class State {
        final Capture capture;
        Object requests;
        Pipeline.Applied applied;

        State(Capture capture) {
            this.capture = capture;
        }
    }

    /** The connection's request headers, through the methods the agent added to it ({@link RequestHeaders}). */
    private static final class Headers extends OutgoingRequest {
        private final RequestHeaders requests;

        Headers(HttpURLConnection connection, URL url, RequestHeaders requests) {
            super(connection.getRequestMethod(), url.getProtocol(), url.getHost(), url.getPort(), url.getPath(), url.getQuery());
            this.requests = requests;
        }

        @Override
        public String header(String name) {
            return requests.tagalong$findValue(name);
        }

        @Override
        public void setHeader(String name, String value) {
            requests.tagalong$remove(name); // every copy, so the header is never sent twice
            requests.tagalong$add(name, value);
        }

        @Override
        public void removeHeader(String name) {
            requests.tagalong$remove(name);
        }

        /** What writeRequests() sets when the program set none: it keeps one that is there. */
        @Override
        protected String defaultUserAgent() {
            String agent = System.getProperty("http.agent");
            String java = "Java/" + System.getProperty("java.version");
            return agent == null ? java : agent + " " + java;
        }

        @Override
        protected String instrumentation() {
            return "http-url-connection";
        }

        @Override
        protected Iterable<String> headerNames() {
            return requests.tagalong$getHeaders().keySet();
        }
    }

    /**
     * A connection class loaded before the agent (attached at run time) keeps its shape, so it has no
     * {@link RequestHeaders}: its {@code MessageHeader} is called directly, the agent having exported
     * {@code sun.net.www} to the hooks when it patched the class. Linked only when used.
     */
    private static final class Direct implements RequestHeaders {
        private final MessageHeader requests;

        Direct(Object requests) {
            this.requests = (MessageHeader) requests;
        }

        @Override public String tagalong$findValue(String name) { return requests.findValue(name); }
        @Override public void tagalong$remove(String name) { requests.remove(name); }
        @Override public void tagalong$add(String name, String value) { requests.add(name, value); }
        @Override public Map<String, List<String>> tagalong$getHeaders() { return requests.getHeaders(); }
    }
}
