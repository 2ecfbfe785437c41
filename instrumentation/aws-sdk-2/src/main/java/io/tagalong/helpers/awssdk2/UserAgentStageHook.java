package io.tagalong.helpers.awssdk2;

import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.UserAgentElement;
import software.amazon.awssdk.core.internal.http.RequestExecutionContext;
import software.amazon.awssdk.http.SdkHttpFullRequest;

/**
 * Called before {@code ApplyUserAgentStage#execute} returns: the SDK has just put its own User-Agent on the request
 * (it replaces any set earlier, interceptors' included), and the signer (which leaves User-Agent out of SigV4, as
 * does CRT's) has not run. The element the interceptor's pipeline decided is appended here.
 */
public final class UserAgentStageHook {
    private UserAgentStageHook() {}

    public static void afterUserAgent(SdkHttpFullRequest.Builder request, RequestExecutionContext context) {
        try {
            if (request == null || context == null || context.executionAttributes() == null) return;
            UserAgentElement element = context.executionAttributes().getAttribute(TagalongExecutionInterceptor.USER_AGENT);
            if (element == null) return;
            String changed = element.appendTo(request.firstMatchingHeader("User-Agent").orElse(null));
            if (changed != null) request.putHeader("User-Agent", changed);
        } catch (Throwable t) {
            Log.warnOnce("aws-sdk-2-user-agent", "aws-sdk-2: a request's User-Agent was left unchanged (" + t.getClass().getSimpleName() + ")");
        }
    }
}
