package io.tagalong.helpers.awssdk2;

import io.tagalong.bootstrap.Capture;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.Tagalong;
import io.tagalong.bootstrap.Targets;
import io.tagalong.bootstrap.UserAgentElement;
import software.amazon.awssdk.auth.signer.AwsSignerExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The last interceptor of every SDK v2 client's chain. {@code beforeExecution} runs on the thread that calls the
 * client (sync or async), so the header sources are captured there; {@code modifyHttpRequest} runs for each attempt
 * after the request is marshalled and before it is signed, so what it sets is signed (x-amz-* included).
 * A presigner's request is left alone: its URL must not depend on headers the agent adds.
 */
public final class TagalongExecutionInterceptor implements ExecutionInterceptor {
    static final TagalongExecutionInterceptor INSTANCE = new TagalongExecutionInterceptor();
    private static final ExecutionAttribute<Capture> CAPTURE = new ExecutionAttribute<Capture>("TagalongCapture");
    private static final ExecutionAttribute<Boolean> S3 = new ExecutionAttribute<Boolean>("TagalongS3");
    /** The tagalong.user-agent element, appended where the SDK sets its User-Agent (UserAgentStageHook). */
    static final ExecutionAttribute<UserAgentElement> USER_AGENT = new ExecutionAttribute<UserAgentElement>("TagalongUserAgent");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        try {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null || attributes.getAttribute(AwsSignerExecutionAttribute.PRESIGNER_EXPIRATION) != null) return;
            // Whether this is a storage request is known when the HTTP request is built (an S3 client is one whatever
            // its endpoint; another service's only by its host): the sources are captured now and judged then.
            attributes.putAttribute(S3, "s3".equalsIgnoreCase(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)));
            attributes.putAttribute(CAPTURE, pipeline.capture());
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        try {
            Capture capture = attributes.getAttribute(CAPTURE);
            Pipeline pipeline = Tagalong.pipeline();
            if (capture == null || pipeline == null) return request;
            Targets.Client client = Boolean.TRUE.equals(attributes.getAttribute(S3)) ? Targets.Client.S3_SDK : Targets.Client.HTTP;
            int port = request.port();
            if (!pipeline.isStorageRequest(client, request.protocol(), request.host(), port, request.encodedPath())) {
                Pipeline.debugNotStorage(request.method().name(), request.protocol(), request.host(), port, request.encodedPath());
                return request;
            }
            SdkRequestView view = new SdkRequestView(request, client == Targets.Client.S3_SDK);
            boolean changed = !pipeline.apply(view, capture).isEmpty() || view.queryChanged;
            if (view.userAgent != null) attributes.putAttribute(USER_AGENT, view.userAgent);
            return changed ? view.builder.build() : request;
        } catch (Throwable t) {
            failed(t);
            return request;
        }
    }

    private static void failed(Throwable t) {
        Log.warnOnce("aws-sdk-2-failed", "aws-sdk-2: a request was sent unchanged (" + t.getClass().getSimpleName() + ")");
    }
}
