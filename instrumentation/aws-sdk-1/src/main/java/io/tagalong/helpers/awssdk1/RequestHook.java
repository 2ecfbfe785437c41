package io.tagalong.helpers.awssdk1;

import com.amazonaws.Request;
import com.amazonaws.handlers.HandlerContextKey;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.OutgoingRequest;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.Tagalong;
import io.tagalong.bootstrap.Targets;
import io.tagalong.bootstrap.UserAgentElement;
import java.util.Map;

/**
 * Called at the entry of {@code AmazonHttpClient.RequestExecutor#runBeforeRequestHandlers()}: once per call of any
 * v1 client, on the thread that makes the call, before the request handlers and long before the signer, which runs
 * per attempt on the same request object. So what is set here is signed (x-amz-* included) on every attempt.
 * Presigned URLs ({@code generatePresignedUrl}) never pass here: they get nothing.
 */
public final class RequestHook {
    /** What AmazonS3Client names its service on every request. */
    private static final String S3_SERVICE = "Amazon S3";
    /** The tagalong.user-agent element, appended where the SDK sets its User-Agent ({@link #afterUserAgent}). */
    private static final HandlerContextKey<UserAgentElement> USER_AGENT_ELEMENT = new HandlerContextKey<UserAgentElement>("TagalongUserAgent");

    private RequestHook() {}

    public static void beforeRequestHandlers(Request<?> request) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || request == null) return;
            String path = request.getResourcePath();
            // An S3 client is a storage client whatever its endpoint; another service's only by its endpoint.
            Targets.Client client = S3_SERVICE.equals(request.getServiceName()) ? Targets.Client.S3_SDK : Targets.Client.HTTP;
            if (!pipeline.isStorageRequest(client, View.scheme(request), View.host(request), View.port(request), path)) return;
            pipeline.apply(new View(request, client == Targets.Client.S3_SDK), pipeline.capture());
        } catch (Throwable t) {
            Log.warnOnce("aws-sdk-1-failed", "aws-sdk-1: a request was sent unchanged (" + t.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Called before {@code RequestExecutor#setUserAgent(Request)} returns: the SDK has just set its User-Agent, which
     * its SigV4 signer signs, and the signer runs later. The element decided before the handlers is appended here.
     */
    public static void afterUserAgent(Request<?> request) {
        try {
            UserAgentElement element = request == null ? null : request.getHandlerContext(USER_AGENT_ELEMENT);
            if (element == null) return;
            String changed = element.appendTo(request.getHeaders().get("User-Agent"));
            if (changed != null) request.addHeader("User-Agent", changed);
        } catch (Throwable t) {
            Log.warnOnce("aws-sdk-1-user-agent", "aws-sdk-1: a request's User-Agent was left unchanged (" + t.getClass().getSimpleName() + ")");
        }
    }

    /** The v1 request before signing. Its header map ignores case (DefaultRequest uses a case-insensitive map). */
    private static final class View extends OutgoingRequest {
        private final Request<?> request;
        private final boolean s3;

        View(Request<?> request, boolean s3) {
            super(request.getHttpMethod().name(), scheme(request), host(request), port(request), request.getResourcePath(), null);
            this.request = request;
            this.s3 = s3;
        }

        @Override
        protected int carriers() {
            return s3 ? USER_AGENT | S3_LOG_PARAMS : USER_AGENT;
        }

        @Override
        protected boolean hasQueryParameter(String name) {
            for (String present : request.getParameters().keySet()) if (present.equalsIgnoreCase(name)) return true;
            return false;
        }

        /** Raw: the SDK encodes it into the URL and its signer into the canonical query. */
        @Override
        protected void addQueryParameter(String name, String value) {
            request.addParameter(name, value);
        }

        @Override
        protected boolean deferUserAgent(UserAgentElement element) {
            request.addHandlerContext(USER_AGENT_ELEMENT, element);
            return true;
        }

        @Override
        public String header(String name) {
            for (Map.Entry<String, String> e : request.getHeaders().entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
            }
            return null;
        }

        @Override
        public void setHeader(String name, String value) {
            removeHeader(name);
            request.addHeader(name, value);
        }

        @Override
        public void removeHeader(String name) {
            java.util.Iterator<String> names = request.getHeaders().keySet().iterator();
            while (names.hasNext()) if (names.next().equalsIgnoreCase(name)) names.remove();
        }

        @Override
        protected String instrumentation() {
            return "aws-sdk-1";
        }

        @Override
        protected Iterable<String> headerNames() {
            return request.getHeaders().keySet();
        }


        private static String scheme(Request<?> r) {
            return r.getEndpoint() == null ? null : r.getEndpoint().getScheme();
        }

        private static String host(Request<?> r) {
            return r.getEndpoint() == null ? null : r.getEndpoint().getHost();
        }

        private static int port(Request<?> r) {
            return r.getEndpoint() == null ? -1 : r.getEndpoint().getPort();
        }
    }
}
