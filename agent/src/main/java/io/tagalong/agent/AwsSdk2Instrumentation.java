package io.tagalong.agent;

import java.util.Arrays;

/**
 * Every AWS SDK v2 call (sync, async, any HTTP client, the CRT-based S3 client, the Transfer Manager's part
 * requests, the presigner) runs its interceptors through a new {@code ExecutionInterceptorChain(List)}: at its entry
 * the list is replaced by one with the Tagalong interceptor appended. Patching the constructor works in any class
 * loader layout, unlike the {@code execution.interceptors} resource, which the SDK would look up on a class path
 * where the agent's helper may not be loadable.
 */
final class AwsSdk2Instrumentation {
    private AwsSdk2Instrumentation() {}

    static final String NAME = "aws-sdk-2";
    static final String CHAIN = "software/amazon/awssdk/core/interceptor/ExecutionInterceptorChain";
    static final String HELPER = "io/tagalong/helpers/awssdk2/Interceptors";
    static final String USER_AGENT_STAGE = "software/amazon/awssdk/core/internal/http/pipeline/stages/ApplyUserAgentStage";
    static final String USER_AGENT_HOOK = "io/tagalong/helpers/awssdk2/UserAgentStageHook";
    private static final String BUILDER = "Lsoftware/amazon/awssdk/http/SdkHttpFullRequest$Builder;";
    private static final String CONTEXT = "Lsoftware/amazon/awssdk/core/internal/http/RequestExecutionContext;";

    static InstrumentationSpec spec() {
        MethodPatch constructor = MethodPatch.atEntry(CHAIN, "<init>", "(Ljava/util/List;)V", new MethodPatch.Code()
                // interceptors = Interceptors.withTagalong(interceptors); `this` is not touched.
                .aload(1)
                .invokestatic(HELPER, "withTagalong", "(Ljava/util/List;)Ljava/util/List;")
                .astore(1));
        // The SDK sets its User-Agent in this stage, after the interceptors and before signing (which leaves the
        // User-Agent out): the tagalong.user-agent element is appended as it returns, the builder left on the stack.
        MethodPatch userAgent = MethodPatch.beforeReturn(USER_AGENT_STAGE, "execute", "(" + BUILDER + CONTEXT + ")" + BUILDER,
                new MethodPatch.Code()
                        .dup()
                        .aload(2)
                        .invokestatic(USER_AGENT_HOOK, "afterUserAgent", "(" + BUILDER + CONTEXT + ")V"));
        return new InstrumentationSpec(NAME, Arrays.asList(constructor, userAgent)).withHelpers(
                "io.tagalong.helpers.awssdk2.SdkRequestView",
                "io.tagalong.helpers.awssdk2.TagalongExecutionInterceptor",
                "io.tagalong.helpers.awssdk2.Interceptors",
                "io.tagalong.helpers.awssdk2.UserAgentStageHook");
    }
}
