package io.tagalong.agent;

import java.util.Collections;

/**
 * grpc-java's channels, where the Google Cloud Storage client over gRPC ({@code StorageOptions.grpc()}) sends its
 * RPCs: at the entry of {@code ManagedChannelImplBuilder.build()}, which every channel builder (Netty, OkHttp,
 * in-process) ends in, the helper's interceptor joins the builder's interceptors. It acts only on RPCs of the Cloud
 * Storage service. See {@code StorageRpcInterceptor}.
 */
final class GrpcInstrumentation {
    private GrpcInstrumentation() {}

    static final String NAME = "grpc";
    static final String BUILDER = "io/grpc/internal/ManagedChannelImplBuilder";
    static final String HELPER = "io/tagalong/helpers/grpc/StorageRpcInterceptor";

    static InstrumentationSpec spec() {
        // StorageRpcInterceptor.beforeBuild(this.interceptors)
        MethodPatch build = MethodPatch.atEntry(BUILDER, "build", "()Lio/grpc/ManagedChannel;", new MethodPatch.Code()
                .aload(0)
                .getfield(BUILDER, "interceptors", "Ljava/util/List;")
                .invokestatic(HELPER, "beforeBuild", "(Ljava/util/List;)V"))
                .requiresField("interceptors", "Ljava/util/List;");
        return new InstrumentationSpec(NAME, Collections.singletonList(build))
                .withHelpers("io.tagalong.helpers.grpc.GrpcMetadata",
                        "io.tagalong.helpers.grpc.StorageRpcInterceptor$StorageCall",
                        "io.tagalong.helpers.grpc.StorageRpcInterceptor");
    }
}
