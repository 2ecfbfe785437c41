package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The checks every Apache HttpClient (4 and 5, classic and async) must pass, in a child JVM running the real client
 * from an app module. Subclasses name the app, its program and the modes (APIs) it drives.
 */
abstract class ApacheHttpClientChecks {
    @RegisterExtension static final StorageServer storage = new StorageServer();
    @RegisterExtension static final StorageServer elsewhere = new StorageServer();

    abstract String app();

    /** The app of the oldest supported version ({@link #app}'s is the newest): the first check runs on both. */
    abstract String oldestApp();

    abstract String program();

    /** The contract's instrumentation name. */
    abstract String instrumentation();

    /** Every mode of the program that sends one request (classic and async APIs). */
    abstract List<String> modes();

    /** The modes whose client retries a request, and the first answer that makes it retry. */
    abstract List<String> retryingModes();

    abstract ResponseDefinitionBuilder answerThatIsRetried();

    /** The modes whose client follows a 307 of a POST by copying the request it just sent. */
    abstract List<String> postRedirectModes();

    /** One classic and one async mode, for the checks that need not run on every API. */
    abstract List<String> classicAndAsync();

    /**
     * The modes whose client sets its own User-Agent after the hook (only if none is there): they get no
     * tagalong.user-agent element, which would replace the client's User-Agent rather than extend it.
     */
    List<String> userAgentSetLater() {
        return List.of();
    }

    private ChildJvm child(ChildJvm jvm) {
        return child(jvm, app());
    }

    private ChildJvm child(ChildJvm jvm, String app) {
        return jvm.app(app).property("tagalong.targets", storage.prefixTarget()).property("tagalong.headers", "X-Team=ml");
    }

    private ChildResult run(ChildJvm jvm, List<String> specs) {
        return child(jvm).run(program(), specs.toArray(new String[0])).assertCleanRun();
    }

    @OnEveryJdk
    void everyApiSendsTheHeaderOnceAndAsyncKeepsTheCallersScope(Jdk jdk) {
        for (String app : new java.util.LinkedHashSet<>(List.of(oldestApp(), app()))) {
            storage.wiremock().resetRequests();
            everyApiSendsTheHeaderOnce(jdk, app);
        }
    }

    private void everyApiSendsTheHeaderOnce(Jdk jdk, String app) {
        List<String> specs = new ArrayList<>();
        for (String mode : modes()) {
            specs.add(mode + " GET " + storage.url("/" + mode + "/get"));
            specs.add(mode + " PUT " + storage.url("/" + mode + "/put?partNumber=1"));
        }
        // the scope closes on the program's thread before the I/O thread writes the request
        specs.add("async-gated GET " + storage.url("/async-gated") + " scope=X-Job:job-7");
        ChildResult result = child(ChildJvm.withAgent(jdk).property("tagalong.user-agent", "X-Team,X-Job"), app)
                .run(program(), specs.toArray(new String[0])).assertCleanRun();
        assertThat(result.tagalongLines()).as("%s", result).isEmpty();

        for (String mode : modes()) {
            for (String path : List.of("/" + mode + "/get", "/" + mode + "/put")) {
                var request = storage.receivedOnce(path);
                assertHeaderOnce(request, "X-Team", "ml");
                // tagalong.user-agent: one element, appended to the client's own User-Agent.
                var userAgent = assertThat(request.getHeaders().getHeader("User-Agent").values()).as(app + path).singleElement().asString()
                        .startsWith("Apache-Http");
                if (userAgentSetLater().contains(mode)) userAgent.doesNotContain("tagalong (");
                else userAgent.endsWith(" tagalong (team=ml)");
            }
        }
        var gated = storage.receivedOnce("/async-gated");
        assertHeaderOnce(gated, "X-Job", "job-7");
        assertHeaderOnce(gated, "X-Team", "ml");
        if (!userAgentSetLater().contains("async")) assertThat(gated.getHeader("User-Agent")).endsWith(" tagalong (team=ml; job=job-7)");
    }

    @OnEveryJdk
    void aRetryCarriesTheHeaderOnceAgain(Jdk jdk) {
        List<String> specs = new ArrayList<>();
        for (String mode : retryingModes()) {
            String path = "/" + mode + "/retried";
            storage.wiremock().stubFor(get(path).inScenario(path).whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(answerThatIsRetried()).willSetStateTo("answered"));
            storage.wiremock().stubFor(get(path).inScenario(path).whenScenarioStateIs("answered")
                    .willReturn(aResponse().withStatus(200).withBody("ok")));
            specs.add(mode + " GET " + storage.url(path));
        }
        run(ChildJvm.withAgent(jdk), specs);

        for (String mode : retryingModes()) {
            var attempts = storage.received("/" + mode + "/retried");
            assertThat(attempts).as("attempts of %s", mode).hasSize(2);
            attempts.forEach(attempt -> assertHeaderOnce(attempt, "X-Team", "ml"));
        }
    }

    @OnEveryJdk
    void eachRedirectHopIsDecidedOnItsOwn(Jdk jdk) {
        List<String> specs = new ArrayList<>();
        for (String mode : classicAndAsync()) {
            for (int status : new int[] {302, 307}) {
                redirect(storage, "/" + mode + "/away-" + status, status, elsewhere.url("/" + mode + "/landed-" + status));
                specs.add(mode + " GET " + storage.url("/" + mode + "/away-" + status));
            }
            redirect(elsewhere, "/" + mode + "/in", 302, storage.url("/" + mode + "/landed-in"));
            specs.add(mode + " GET " + elsewhere.url("/" + mode + "/in"));
        }
        for (String mode : postRedirectModes()) {
            redirect(storage, "/" + mode + "/post-away", 307, elsewhere.url("/" + mode + "/post-landed"));
            specs.add(mode + " POST " + storage.url("/" + mode + "/post-away"));
        }
        run(ChildJvm.withAgent(jdk), specs);

        for (String mode : postRedirectModes()) {
            // the client copies the request it sent to the target: what was injected must not travel along
            assertHeaderOnce(storage.receivedOnce("/" + mode + "/post-away"), "X-Team", "ml");
            assertNoHeader(elsewhere.receivedOnce("/" + mode + "/post-landed"), "X-Team");
        }

        for (String mode : classicAndAsync()) {
            for (int status : new int[] {302, 307}) {
                // target -> non-target: the second hop carries nothing
                assertHeaderOnce(storage.receivedOnce("/" + mode + "/away-" + status), "X-Team", "ml");
                assertNoHeader(elsewhere.receivedOnce("/" + mode + "/landed-" + status), "X-Team");
            }
            // non-target -> target: the target hop gets them
            assertNoHeader(elsewhere.receivedOnce("/" + mode + "/in"), "X-Team");
            assertHeaderOnce(storage.receivedOnce("/" + mode + "/landed-in"), "X-Team", "ml");
        }
    }

    @OnEveryJdk
    void theProgramsOwnHeaderStaysUnlessOverrideIsOn(Jdk jdk) {
        List<String> kept = new ArrayList<>(), overridden = new ArrayList<>();
        for (String mode : classicAndAsync()) {
            kept.add(mode + " GET " + storage.url("/" + mode + "/kept") + " header=X-Team:mine");
            overridden.add(mode + " GET " + storage.url("/" + mode + "/overridden") + " header=X-Team:mine");
        }
        run(ChildJvm.withAgent(jdk), kept);
        run(ChildJvm.withAgent(jdk).property("tagalong.override", "true"), overridden);

        for (String mode : classicAndAsync()) {
            assertHeaderOnce(storage.receivedOnce("/" + mode + "/kept"), "X-Team", "mine");
            assertHeaderOnce(storage.receivedOnce("/" + mode + "/overridden"), "X-Team", "ml");
        }
    }

    /** Control runs: instrumentation switched off, and no agent at all. The checks above must fail like this. */
    @OnEveryJdk
    void nothingWhenTheInstrumentationIsOffOrTheAgentAbsent(Jdk jdk) {
        List<String> off = new ArrayList<>(), absent = new ArrayList<>();
        for (String mode : classicAndAsync()) {
            off.add(mode + " GET " + storage.url("/" + mode + "/off"));
            absent.add(mode + " GET " + storage.url("/" + mode + "/absent"));
        }
        ChildResult disabled = run(ChildJvm.withAgent(jdk)
                .property("tagalong.instrumentation." + instrumentation() + ".enabled", "false"), off);
        run(ChildJvm.withoutAgent(jdk), absent);

        assertThat(disabled.tagalongLines()).as("agent lines\n%s", disabled).isEmpty();
        for (String mode : classicAndAsync()) {
            assertNoHeader(storage.receivedOnce("/" + mode + "/off"), "X-Team");
            assertNoHeader(storage.receivedOnce("/" + mode + "/absent"), "X-Team");
        }
    }

    private static void redirect(StorageServer from, String path, int status, String location) {
        from.wiremock().stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status).withHeader("Location", location)));
    }
}
