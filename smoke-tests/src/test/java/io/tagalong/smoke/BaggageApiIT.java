package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The application's own OpenTelemetry API (module apps/otel-api, program BaggageFetch): baggage made current with
 * {@code makeCurrent()} reaches the request, and not after the scope closed; with the OpenTelemetry API 1.68.0
 * (target/lib) and 1.0.0 (target/lib-api-1.0.0); alone, with the OpenTelemetry agent, and with an agent whose layout
 * Tagalong does not know.
 */
class BaggageApiIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();
    static final String PROGRAM = "io.tagalong.smoke.otel.BaggageFetch";

    private ChildJvm child(Jdk jdk, String lib) {
        return ChildJvm.withAgent(jdk).classPath(AppClassPath.of("otel-api", lib))
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.baggage.map", "team=X-Team")
                .property("tagalong.baggage.allow", "job");
    }

    @OnEveryJdk
    void apiLatest(Jdk jdk) {
        child(jdk, "lib").run(PROGRAM, storage.url("")).assertCleanRun();
        assertOnlyInScope();
    }

    @OnEveryJdk
    void api100(Jdk jdk) {
        child(jdk, "lib-api-1.0.0").run(PROGRAM, storage.url("")).assertCleanRun();
        assertOnlyInScope();
    }

    /** The BAGGAGE environment variable is process-wide: the request's baggage wins per key. */
    @OnEveryJdk
    void requestBaggageBeatsTheEnvironment(Jdk jdk) {
        child(jdk, "lib").env("BAGGAGE", "team=env,region=eu")
                .property("tagalong.baggage.map", "team=X-Team,region=X-Region")
                .run(PROGRAM, storage.url("")).assertCleanRun();

        var inScope = storage.receivedOnce("/in-scope");
        assertHeaderOnce(inScope, "X-Team", "ml");
        assertHeaderOnce(inScope, "X-Region", "eu");
        assertHeaderOnce(storage.receivedOnce("/after-close"), "X-Team", "env");
    }

    /**
     * With the OpenTelemetry agent the application's API is bridged to the agent's context, so the agent's baggage
     * alone is read (the log says which) and the application's baggage still arrives.
     */
    @OnEveryJdk
    void withTheOpenTelemetryAgent(Jdk jdk) {
        ChildResult result = ChildJvm.withoutAgent(jdk).classPath(AppClassPath.of("otel-api", "lib"))
                .jvmOption("-javaagent:" + AppClassPath.openTelemetryAgent())
                .jvmOption("-javaagent:" + ChildJvm.agentJar())
                .property("otel.traces.exporter", "none").property("otel.metrics.exporter", "none").property("otel.logs.exporter", "none")
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.baggage.map", "team=X-Team")
                .property("tagalong.baggage.allow", "job")
                .property("tagalong.debug", "true")
                .run(PROGRAM, storage.url("")).assertCleanRun();
        assertOnlyInScope();
        assertThat(result.tagalongLines()).anyMatch(line -> line.contains("reading the OpenTelemetry Java agent's baggage"));
    }

    /** An OpenTelemetry agent of another layout: one line says so, the application's API is still read. */
    @OnEveryJdk
    void openTelemetryAgentOfUnknownLayout(Jdk jdk) {
        ChildResult result = ChildJvm.withoutAgent(jdk).classPath(AppClassPath.of("otel-api", "lib"))
                .jvmOption("-javaagent:" + AppClassPath.fakeOpenTelemetryAgent())
                .jvmOption("-javaagent:" + ChildJvm.agentJar())
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.baggage.map", "team=X-Team")
                .property("tagalong.baggage.allow", "job")
                .run(PROGRAM, storage.url("")).assertCleanRun();
        assertOnlyInScope();
        assertThat(result.tagalongLines()).filteredOn(line -> line.contains("OpenTelemetry Java agent")).hasSize(1)
                .allMatch(line -> line.contains("not where this version expects it"));
    }

    /** Control: the opentelemetry instrumentation switched off. */
    @OnEveryJdk
    void disabled(Jdk jdk) {
        child(jdk, "lib").property("tagalong.instrumentation.opentelemetry.enabled", "false")
                .run(PROGRAM, storage.url("")).assertCleanRun();
        assertNoHeader(storage.receivedOnce("/in-scope"), "X-Team");
    }

    private static void assertOnlyInScope() {
        assertNoHeader(storage.receivedOnce("/before"), "X-Team");
        var inScope = storage.receivedOnce("/in-scope");
        assertHeaderOnce(inScope, "X-Team", "ml");
        assertHeaderOnce(inScope, "job", "nightly run");
        assertNoHeader(inScope, "secret");
        assertNoHeader(inScope, "team");
        assertNoHeader(storage.receivedOnce("/after-close"), "X-Team");
        assertNoHeader(storage.receivedOnce("/after-close"), "job");
    }
}
