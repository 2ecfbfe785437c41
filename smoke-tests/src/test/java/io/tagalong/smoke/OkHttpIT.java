package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OkHttp 3.9 (the core test only), 3.12, 3.14, 4.12 and 5.5 (apps okhttp-*, one program compiled against each), on every JDK: headers captured
 * where the call is executed or enqueued, applied to each hop's final request, exactly once.
 */
class OkHttpIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();
    @RegisterExtension static final StorageServer elsewhere = new StorageServer();

    static final String PROGRAM = "io.tagalong.smoke.okhttp.OkHttpProgram";

    static Stream<Arguments> versions() {
        // relocated: OkHttp 4.12 shaded under shaded/acme/okhttp3/, as drivers carry private copies
        return on(Stream.of("okhttp-3.12", "okhttp-3.14", "okhttp-4.12", "okhttp-5.5", "relocated"));
    }

    /** Those and 3.9.0, the oldest supported version (5.5.1, the newest on Maven Central, is among them): the core test. */
    static Stream<Arguments> supportedRange() {
        return on(Stream.of("okhttp-3.9", "okhttp-3.12", "okhttp-3.14", "okhttp-4.12", "okhttp-5.5", "relocated"));
    }

    private static Stream<Arguments> on(Stream<String> apps) {
        return apps.flatMap(app -> Jdk.all().map(jdk -> Arguments.of(app, jdk)));
    }

    private static ChildJvm child(ChildJvm jvm, String app) {
        return jvm.app(app).property("tagalong.targets", storage.prefixTarget())
                // the executors instrumentation would carry the scope to the pool thread too: off, so that these
                // tests prove this client's own capture
                .property("tagalong.instrumentation.executors.enabled", "false");
    }

    private static void redirect(StorageServer from, String path, String location) {
        from.wiremock().stubFor(get(path).willReturn(aResponse().withStatus(302).withHeader("Location", location)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("supportedRange")
    void capturedWhereTheCallIsMadeAppliedPerHopOnce(String app, Jdk jdk) {
        redirect(storage, "/away", elsewhere.url("/landed-elsewhere"));
        redirect(elsewhere, "/in", storage.url("/landed-in-storage"));
        redirect(storage, "/within", storage.url("/landed-within"));
        String scope = " scope=X-Team:ml";

        child(ChildJvm.withAgent(jdk), app).run(PROGRAM,
                "execute " + storage.url("/execute") + scope,
                "enqueue " + storage.url("/enqueue") + scope,
                "execute " + storage.url("/no-scope"),
                "execute " + storage.url("/away") + scope,
                "enqueue " + elsewhere.url("/in") + scope,
                "execute " + storage.url("/within") + scope,
                "execute " + storage.url("/identical") + scope + " header=X-Team:ml",
                "enqueue " + storage.url("/interceptor") + scope + " interceptor=X-Team:app")
                .assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("/execute"), "X-Team", "ml");
        // written on the dispatcher thread after the scope closed: the capture at enqueue() is what counts
        assertHeaderOnce(storage.receivedOnce("/enqueue"), "X-Team", "ml");
        assertNoHeader(storage.receivedOnce("/no-scope"), "X-Team");
        // target -> non-target: the second hop carries nothing
        assertHeaderOnce(storage.receivedOnce("/away"), "X-Team", "ml");
        assertNoHeader(elsewhere.receivedOnce("/landed-elsewhere"), "X-Team");
        // non-target -> target, followed on the dispatcher thread: the target hop gets the enqueue-time capture
        assertNoHeader(elsewhere.receivedOnce("/in"), "X-Team");
        assertHeaderOnce(storage.receivedOnce("/landed-in-storage"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("/within"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("/landed-within"), "X-Team", "ml");
        // a layer above set the same header: still once
        assertHeaderOnce(storage.receivedOnce("/identical"), "X-Team", "ml");
        // an application interceptor set it: the program's value stays by default
        assertHeaderOnce(storage.receivedOnce("/interceptor"), "X-Team", "app");
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("versions")
    void overrideReplacesTheValueOfAnApplicationInterceptor(String app, Jdk jdk) {
        child(ChildJvm.withAgent(jdk), app).property("tagalong.override", "true").run(PROGRAM,
                "execute " + storage.url("/interceptor") + " scope=X-Team:ml interceptor=x-team:app")
                .assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("/interceptor"), "X-Team", "ml");
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("versions")
    void switchedOffOrWithoutTheAgentNothingIsAdded(String app, Jdk jdk) {
        String[] calls = {"execute " + storage.url("/off-execute") + " scope=X-Team:ml",
                "enqueue " + storage.url("/off-enqueue") + " scope=X-Team:ml"};
        child(ChildJvm.withAgent(jdk), app).property("tagalong.instrumentation.okhttp.enabled", "false")
                .run(PROGRAM, calls).assertCleanRun();
        assertNoHeader(storage.receivedOnce("/off-execute"), "X-Team");
        assertNoHeader(storage.receivedOnce("/off-enqueue"), "X-Team");

        storage.wiremock().resetRequests();
        child(ChildJvm.withoutAgent(jdk), app).run(PROGRAM, calls).assertCleanRun();
        assertNoHeader(storage.receivedOnce("/off-execute"), "X-Team");
        assertNoHeader(storage.receivedOnce("/off-enqueue"), "X-Team");
    }

    /**
     * The client is built and used (RealCall and the chain loaded) before the agent is attached at run time: the
     * loaded classes are retransformed and the same client's later calls carry the headers. Static headers: the
     * program loaded its own copy of the context holder before the attach, which the agent cannot read.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("versions")
    void aClientBuiltAndUsedBeforeARuntimeAttachGetsHeadersAfterIt(String app, Jdk jdk) throws Exception {
        ChildJvm child = child(ChildJvm.withoutAgent(jdk), app).property("tagalong.headers", "X-Team=ml");
        if (jdk.feature() >= 21) child.jvmOption("-XX:+EnableDynamicAgentLoading"); // else JDK 21+ warns on stderr
        RunningChild running = child.start(PROGRAM,
                "enqueue " + storage.url("/before-attach"),
                "attach",
                "execute " + storage.url("/after-attach"),
                "enqueue " + storage.url("/after-attach-async"));
        running.awaitStdout("waiting for attach");
        running.attachAgent();
        running.writeLine("go");
        running.awaitExit().assertCleanRun();

        assertNoHeader(storage.receivedOnce("/before-attach"), "X-Team");
        assertHeaderOnce(storage.receivedOnce("/after-attach"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("/after-attach-async"), "X-Team", "ml");
    }

    /** 3.8 predates the chain's call (3.9): the patch does not fit, one line says so, the requests go on. */
    @OnEveryJdk
    void aVersionThePatchDoesNotFitIsLeftAloneWithOneLogLine(Jdk jdk) {
        var result = child(ChildJvm.withAgent(jdk), "okhttp-3.8").run(PROGRAM,
                "execute " + storage.url("/old-execute") + " scope=X-Team:ml",
                "enqueue " + storage.url("/old-enqueue") + " scope=X-Team:ml")
                .assertCleanRun();

        assertThat(result.stdout()).contains("execute " + storage.url("/old-execute") + " -> 200",
                "enqueue " + storage.url("/old-enqueue") + " -> 200");
        assertThat(result.tagalongLines()).as("%s", result).hasSize(1);
        assertThat(result.tagalongLines().get(0)).contains("okhttp", "not instrumented");
        storage.receivedOnce("/old-execute");
        storage.receivedOnce("/old-enqueue");
    }
}
