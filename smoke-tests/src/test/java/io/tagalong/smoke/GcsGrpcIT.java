package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * The real Google Cloud Storage client over gRPC ({@code StorageOptions.grpc()}, plaintext to 127.0.0.1, no
 * credentials, no DirectPath) against a real gRPC server implementing the Storage v2 RPCs it makes, which records the
 * metadata of every call as received; then a channel of the job's own with one Storage RPC and one health check.
 */
class GcsGrpcIT {
    @RegisterExtension static final GrpcStorageServer server = new GrpcStorageServer();

    static final String JOB = "io.tagalong.smoke.gcs.GcsJob";
    /** Two names gRPC cannot carry as text metadata: accepted by the configuration, refused on the RPC. */
    static final String HEADERS = "X-Team=ml,x-goog-meta-team=ml,grpc-tagalong=reserved-value,X-Trace-bin=binary-value";
    /** What GcsJob grpc makes, in order: the storage client's four RPCs, then its own channel's two. */
    static final List<String> EXPECTED_CALLS = List.of(
            "google.storage.v2.Storage/GetBucket",
            "google.storage.v2.Storage/WriteObject",
            "google.storage.v2.Storage/ReadObject",
            "google.storage.v2.Storage/GetObject",
            "google.storage.v2.Storage/GetBucket",
            "grpc.health.v1.Health/Check");
    static final List<String> INJECTED = List.of("x-team", "x-goog-meta-team", "x-job", "x-goog-custom-audit-team");

    /**
     * Every Storage RPC carries the headers once (the job's scope among them, and the custom audit header), never the
     * gRPC-reserved or -bin names, each refused with one line by name; the health check on the same channel as a
     * Storage RPC carries none.
     */
    @OnEveryJdk
    void everyStorageRpcCarriesTheHeadersOnceAsMetadata(Jdk jdk) {
        ChildResult result = runJob(ChildJvm.withAgent(jdk).property("tagalong.gcs.audit", "X-Team"));

        assertAll(server.calls().stream().map(call -> (Executable) () -> {
            if (call.isStorage()) {
                assertThat(call.values("x-team")).as("%s", call).containsExactly("ml");
                assertThat(call.values("x-goog-meta-team")).as("%s", call).containsExactly("ml");
                assertThat(call.values("x-job")).as("%s", call).containsExactly("nightly");
                assertThat(call.values("x-goog-custom-audit-team")).as("%s", call).containsExactly("ml");
            } else {
                INJECTED.forEach(key -> assertThat(call.values(key)).as("%s", call).isEmpty());
            }
            assertThat(call.metadata()).as("%s", call).doesNotContainKeys("grpc-tagalong", "x-trace-bin");
        }));
        assertThat(result.tagalongLines()).as("agent log").contains(
                "[tagalong] WARN header grpc-tagalong refused: reserved (gRPC)",
                "[tagalong] WARN header X-Trace-bin refused: a binary (-bin) gRPC metadata key");
    }

    @OnEveryJdk
    void withTheGrpcInstrumentationOffNoRpcCarriesThem(Jdk jdk) {
        runJob(ChildJvm.withAgent(jdk).property("tagalong.instrumentation.grpc.enabled", "false"));
        assertNoneCarried();
    }

    @OnEveryJdk
    void withoutTheAgentNoRpcCarriesThem(Jdk jdk) {
        runJob(ChildJvm.withoutAgent(jdk));
        assertNoneCarried();
    }

    /** GcsJob grpc against the server; every expected call arrived. */
    private static ChildResult runJob(ChildJvm child) {
        ChildResult result = child.app(GrpcStorageServer.APP).property("tagalong.headers", HEADERS)
                .run(JOB, "grpc", server.target())
                .assertCleanRun();
        assertThat(server.calls().stream().map(GrpcStorageServer.Call::method).toList()).as("calls received\n%s", result)
                .containsExactlyElementsOf(EXPECTED_CALLS);
        return result;
    }

    private static void assertNoneCarried() {
        assertAll(server.calls().stream().flatMap(call -> Stream.concat(INJECTED.stream(), Stream.of("grpc-tagalong", "x-trace-bin"))
                .map(key -> (Executable) () -> assertThat(call.values(key)).as("%s", call).isEmpty())));
    }
}
