package io.tagalong.helpers.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.tagalong.bootstrap.Capture;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.Tagalong;
import io.tagalong.bootstrap.Targets;
import java.util.List;

/**
 * Added to every grpc-java channel as it is built (at the entry of {@code ManagedChannelImplBuilder.build()}, last in
 * the builder's list, so it runs first): each RPC of the Cloud Storage service ({@code google.storage.v2.Storage}, the
 * service of {@code StorageOptions.grpc()} clients) gets the headers as metadata; every other service's RPC passes
 * untouched. The sources are captured when the call is created, on the thread that makes it (the storage client's
 * calls are created on the thread that invokes its callable, or on a pool thread that the executors instrumentation
 * gave the caller's context), and the headers are decided once, when the call starts, before the channel's call
 * credentials add authorization below.
 */
public final class StorageRpcInterceptor implements ClientInterceptor {
    /** Compared with the method descriptor's service name: a string, so a relocated copy of gRPC matches too. */
    static final String STORAGE_SERVICE = "google.storage.v2.Storage";
    static final StorageRpcInterceptor INSTANCE = new StorageRpcInterceptor();

    private StorageRpcInterceptor() {}

    /** At the entry of {@code ManagedChannelImplBuilder.build()}: the builder's interceptors (a builder may build twice). */
    public static void beforeBuild(List<ClientInterceptor> interceptors) {
        try {
            if (!interceptors.contains(INSTANCE)) interceptors.add(INSTANCE);
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        ClientCall<Q, R> call = next.newCall(method, options);
        try {
            if (!STORAGE_SERVICE.equals(method.getServiceName())) return call;
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline == null) return call;
            String authority = next.authority();
            String host = GrpcMetadata.host(authority);
            int port = GrpcMetadata.port(authority);
            String path = "/" + method.getFullMethodName();
            if (!pipeline.isStorageRequest(Targets.Client.GCS_SDK, GrpcMetadata.SCHEME, host, port, path)) {
                Pipeline.debugNotStorage(GrpcMetadata.METHOD, GrpcMetadata.SCHEME, host, port, path);
                return call;
            }
            return new StorageCall<Q, R>(call, pipeline, pipeline.capture(), host, port, path);
        } catch (Throwable t) {
            failed(t);
            return call;
        }
    }

    /** One Storage RPC: the sources captured where it was created, applied once when it starts. */
    private static final class StorageCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
        private final Pipeline pipeline;
        private final Capture capture;
        private final String host;
        private final int port;
        private final String path;

        StorageCall(ClientCall<Q, R> call, Pipeline pipeline, Capture capture, String host, int port, String path) {
            super(call);
            this.pipeline = pipeline;
            this.capture = capture;
            this.host = host;
            this.port = port;
            this.path = path;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            try {
                pipeline.apply(new GrpcMetadata(host, port, path, headers), capture);
            } catch (Throwable t) {
                failed(t);
            }
            super.start(listener, headers);
        }
    }

    private static void failed(Throwable t) {
        boolean misfit = t instanceof LinkageError;
        Log.warnOnce("grpc-failed", "grpc: an RPC was sent unchanged (" + t.getClass().getSimpleName()
                + (misfit ? ": this grpc-java version does not fit" : "") + ")");
    }
}
