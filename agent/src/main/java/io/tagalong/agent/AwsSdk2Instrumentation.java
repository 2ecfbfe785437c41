package io.tagalong.agent;

import java.util.Collections;

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

    static InstrumentationSpec spec() {
        MethodPatch constructor = MethodPatch.atEntry(CHAIN, "<init>", "(Ljava/util/List;)V", new MethodPatch.Code()
                // interceptors = Interceptors.withTagalong(interceptors); `this` is not touched.
                .aload(1)
                .invokestatic(HELPER, "withTagalong", "(Ljava/util/List;)Ljava/util/List;")
                .astore(1));
        return new InstrumentationSpec(NAME, Collections.singletonList(constructor)).withHelpers(
                "io.tagalong.helpers.awssdk2.SdkRequestView",
                "io.tagalong.helpers.awssdk2.TagalongExecutionInterceptor",
                "io.tagalong.helpers.awssdk2.Interceptors");
    }
}
