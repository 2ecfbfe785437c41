package io.tagalong.smoke.gcs;

import com.google.protobuf.ByteString;
import com.google.storage.v2.Bucket;
import com.google.storage.v2.ChecksummedData;
import com.google.storage.v2.ContentRange;
import com.google.storage.v2.GetBucketRequest;
import com.google.storage.v2.GetObjectRequest;
import com.google.storage.v2.Object;
import com.google.storage.v2.ObjectChecksums;
import com.google.storage.v2.ReadObjectRequest;
import com.google.storage.v2.ReadObjectResponse;
import com.google.storage.v2.StorageGrpc;
import com.google.storage.v2.WriteObjectRequest;
import com.google.storage.v2.WriteObjectResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * A real gRPC server (grpc-java on Netty, plaintext) playing the Cloud Storage v2 service for the RPCs the smoke jobs
 * make (GetBucket, GetObject, WriteObject, ReadObject; objects kept in memory), plus the standard health service, with
 * a server interceptor that records every call's metadata as received. The smoke tests load it from this module's
 * class path in a class loader of their own and reach it through JDK interfaces only: {@link #getAsInt()} is its
 * port, {@link #get()} the calls so far (each a map of metadata key to values, {@code :path} the full method name,
 * a {@code -bin} key's values in base64).
 */
public final class GrpcStorageServer implements AutoCloseable, IntSupplier, Supplier<List<Map<String, List<String>>>> {
    private final List<Map<String, List<String>>> calls = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Server server;

    public GrpcStorageServer() throws IOException {
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                Map<String, List<String>> seen = new TreeMap<>();
                seen.put(":path", List.of(call.getMethodDescriptor().getFullMethodName()));
                for (String key : headers.keys()) {
                    List<String> values = new ArrayList<>();
                    if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                        for (byte[] v : headers.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
                            values.add(Base64.getEncoder().encodeToString(v));
                        }
                    } else {
                        headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)).forEach(values::add);
                    }
                    seen.put(key, values);
                }
                calls.add(seen);
                return next.startCall(call, headers);
            }
        };
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(new Storage(), recorder))
                .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), recorder))
                .build()
                .start();
    }

    @Override
    public int getAsInt() {
        return server.getPort();
    }

    @Override
    public List<Map<String, List<String>>> get() {
        return List.copyOf(calls);
    }

    /** Forgets the calls recorded so far (objects stay). */
    public void clear() {
        calls.clear();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private Object object(String bucket, String name) {
        byte[] data = objects.get(bucket + "/" + name);
        if (data == null) return null;
        return Object.newBuilder().setBucket(bucket).setName(name).setGeneration(1).setMetageneration(1).setSize(data.length)
                .setChecksums(ObjectChecksums.newBuilder().setCrc32C(crc32c(data))).build();
    }

    private static int crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    private final class Storage extends StorageGrpc.StorageImplBase {
        @Override
        public void getBucket(GetBucketRequest request, StreamObserver<Bucket> response) {
            String id = request.getName().substring(request.getName().lastIndexOf('/') + 1);
            response.onNext(Bucket.newBuilder().setName(request.getName()).setBucketId(id).setProject("projects/0").build());
            response.onCompleted();
        }

        @Override
        public void getObject(GetObjectRequest request, StreamObserver<Object> response) {
            Object found = object(request.getBucket(), request.getObject());
            if (found == null) {
                response.onError(Status.NOT_FOUND.withDescription(request.getObject()).asRuntimeException());
                return;
            }
            response.onNext(found);
            response.onCompleted();
        }

        @Override
        public void readObject(ReadObjectRequest request, StreamObserver<ReadObjectResponse> response) {
            Object found = object(request.getBucket(), request.getObject());
            if (found == null) {
                response.onError(Status.NOT_FOUND.withDescription(request.getObject()).asRuntimeException());
                return;
            }
            byte[] data = objects.get(request.getBucket() + "/" + request.getObject());
            response.onNext(ReadObjectResponse.newBuilder().setMetadata(found)
                    .setContentRange(ContentRange.newBuilder().setStart(0).setEnd(data.length).setCompleteLength(data.length))
                    .setChecksummedData(ChecksummedData.newBuilder().setContent(ByteString.copyFrom(data)).setCrc32C(crc32c(data)))
                    .setObjectChecksums(found.getChecksums())
                    .build());
            response.onCompleted();
        }

        @Override
        public StreamObserver<WriteObjectRequest> writeObject(StreamObserver<WriteObjectResponse> response) {
            return new StreamObserver<>() {
                private Object spec;
                private final ByteArrayOutputStream data = new ByteArrayOutputStream();

                @Override
                public void onNext(WriteObjectRequest request) {
                    if (request.hasWriteObjectSpec()) spec = request.getWriteObjectSpec().getResource();
                    data.writeBytes(request.getChecksummedData().getContent().toByteArray());
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                    if (spec == null) {
                        response.onError(Status.UNIMPLEMENTED.withDescription("only direct uploads").asRuntimeException());
                        return;
                    }
                    objects.put(spec.getBucket() + "/" + spec.getName(), data.toByteArray());
                    response.onNext(WriteObjectResponse.newBuilder().setResource(object(spec.getBucket(), spec.getName())).build());
                    response.onCompleted();
                }
            };
        }
    }
}
