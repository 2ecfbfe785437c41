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
            Headers view = new Headers(connection, url, (MessageHeader) requests);
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

    /**
     * The connection's {@code MessageHeader}, called directly: the agent exports {@code sun.net.www} to the hooks at
     * start, and a reflective call would spin method handles at the first request (JDK 18+).
     */
    private static final class Headers extends OutgoingRequest {
        private final MessageHeader requests;

        Headers(HttpURLConnection connection, URL url, MessageHeader requests) {
            super(connection.getRequestMethod(), url.getProtocol(), url.getHost(), url.getPort(), url.getPath(), url.getQuery());
            this.requests = requests;
        }

        @Override
        public String header(String name) {
            return requests.findValue(name);
        }

        @Override
        public void setHeader(String name, String value) {
            requests.remove(name); // every copy, so the header is never sent twice
            requests.add(name, value);
        }

        @Override
        public void removeHeader(String name) {
            requests.remove(name);
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
            return requests.getHeaders().keySet();
        }
    }
}
