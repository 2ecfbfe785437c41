package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static io.tagalong.smoke.ReceivedHeaders.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Caller -> service -> storage. The service (module apps/service-http: a JDK HttpServer whose handler writes to
 * storage from a thread pool; no OpenTelemetry and no Tagalong code) runs with the OpenTelemetry Java agent 2.22.0
 * and Tagalong, in either order. The test calls it with W3C baggage; the storage request carries the mapped and the
 * allowed entry, nothing else from baggage, and still OpenTelemetry's own traceparent and baggage headers.
 */
class CallerServiceIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();
    private static final HttpClient caller = HttpClient.newHttpClient();

    @OnEveryJdk
    void openTelemetryAgentFirst(Jdk jdk) throws Exception {
        List<String> agents = List.of(AppClassPath.openTelemetryAgent().toString(), ChildJvm.agentJar().toString());
        callWithBaggage(jdk, agents);
        assertBaggageBecameHeaders();
    }

    @OnEveryJdk
    void tagalongFirst(Jdk jdk) throws Exception {
        List<String> agents = List.of(ChildJvm.agentJar().toString(), AppClassPath.openTelemetryAgent().toString());
        callWithBaggage(jdk, agents);
        assertBaggageBecameHeaders();
    }

    /** Control: the OpenTelemetry agent alone propagates its headers, and no X-Team appears. */
    @OnEveryJdk
    void openTelemetryAgentAlone(Jdk jdk) throws Exception {
        callWithBaggage(jdk, List.of(AppClassPath.openTelemetryAgent().toString()));
        var request = storage.receivedOnce("/store/with-baggage");
        assertThat(values(request, "traceparent")).hasSize(1);
        assertNoHeader(request, "X-Team");
    }

    /**
     * Issue 15: with {@code allow=*} a caller picks header names through its baggage, but none that changes what the
     * storage request does (here x-amz-acl, Range, Cache-Control): those are refused, by name, without their values;
     * object metadata and the caller's own names still arrive.
     */
    @OnEveryJdk
    void aCallerCannotChooseANameThatChangesTheStorageRequest(Jdk jdk) throws Exception {
        List<String> agents = List.of(AppClassPath.openTelemetryAgent().toString(), ChildJvm.agentJar().toString());
        ChildResult service = callWithBaggage(jdk, agents, "*",
                "x-amz-acl=public-read,Range=bytes%3D0-1,Cache-Control=no-store,x-amz-meta-team=ml,X-Tenant=t1");
        var request = storage.receivedOnce("/store/with-baggage");
        for (String refused : List.of("x-amz-acl", "Range", "Cache-Control")) {
            assertNoHeader(request, refused);
            assertThat(service.tagalongLines()).as("one refusal line for %s", refused)
                    .filteredOn(l -> l.startsWith("[tagalong] WARN header " + refused + " refused")).hasSize(1);
        }
        assertHeaderOnce(request, "x-amz-meta-team", "ml");
        assertHeaderOnce(request, "X-Tenant", "t1");
        assertThat(service.stdout() + service.stderr()).doesNotContain("public-read", "bytes=0-1", "no-store");
    }

    private void assertBaggageBecameHeaders() {
        var request = storage.receivedOnce("/store/with-baggage");
        assertHeaderOnce(request, "X-Team", "ml");
        assertHeaderOnce(request, "job", "nightly");
        assertNoHeader(request, "team");
        assertNoHeader(request, "secret");
        assertThat(values(request, "traceparent")).as("OpenTelemetry's own propagation\n%s", request.getHeaders()).hasSize(1);
        assertThat(values(request, "baggage")).as("OpenTelemetry's own propagation\n%s", request.getHeaders()).hasSize(1);
        // The next call has no baggage: the pool thread that wrote the first one carries nothing of it.
        var next = storage.receivedOnce("/store/without-baggage");
        assertNoHeader(next, "X-Team");
        assertNoHeader(next, "job");
    }

    private void callWithBaggage(Jdk jdk, List<String> agentsInOrder) throws Exception {
        callWithBaggage(jdk, agentsInOrder, "job", "team=ml,job=nightly,secret=s");
    }

    /** Starts the service, calls it once with this baggage and once without, stops it; returns its run. */
    private ChildResult callWithBaggage(Jdk jdk, List<String> agentsInOrder, String allow, String baggage) throws Exception {
        int port = freePort();
        ChildJvm child = ChildJvm.withoutAgent(jdk).classPath(AppClassPath.of("service-http", "lib"))
                .property("otel.traces.exporter", "none")
                .property("otel.metrics.exporter", "none")
                .property("otel.logs.exporter", "none")
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.baggage.map", "team=X-Team")
                .property("tagalong.baggage.allow", allow);
        for (String agent : agentsInOrder) child.jvmOption("-javaagent:" + agent);
        RunningChild service = child.start("io.tagalong.smoke.service.StorageService", storage.url("/store"), Integer.toString(port));
        List<String> answers = new ArrayList<>();
        try {
            service.awaitStdout("listening on");
            answers.add(call(port, "/save?key=with-baggage", baggage));
            answers.add(call(port, "/save?key=without-baggage", null));
        } finally {
            call(port, "/stop", null);
        }
        ChildResult result = service.awaitExit().assertCleanRun();
        assertThat(answers).containsOnly("200 storage answered 200");
        return result;
    }

    private static String call(int port, String path, String baggage) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (baggage != null) request.header("baggage", baggage);
        HttpResponse<String> response = caller.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
