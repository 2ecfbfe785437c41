package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static org.assertj.core.api.Assertions.assertThat;

import io.tagalong.smoke.programs.JavaHttpClientFetch;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * java.net.http.HttpClient send and sendAsync: headers captured in the call on the program's thread, applied to each
 * hop's request, exactly once.
 */
class JavaHttpClientIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();
    @RegisterExtension static final StorageServer elsewhere = new StorageServer();

    private static ChildJvm child(ChildJvm jvm) {
        return jvm.property("tagalong.targets", storage.prefixTarget())
                // the executors instrumentation would carry the scope to the pool thread too: off, so that these
                // tests prove this client's own capture
                .property("tagalong.instrumentation.executors.enabled", "false");
    }

    private static void redirect(StorageServer from, String path, String location) {
        from.wiremock().stubFor(get(path).willReturn(aResponse().withStatus(302).withHeader("Location", location)));
    }

    @OnEveryJdk
    void capturedWhereTheRequestIsSentAppliedPerHopOnce(Jdk jdk) {
        redirect(storage, "/away", elsewhere.url("/landed-elsewhere"));
        redirect(elsewhere, "/in", storage.url("/landed-in-storage"));
        redirect(storage, "/within", storage.url("/landed-within"));
        redirect(storage, "/away-async", elsewhere.url("/landed-elsewhere-async"));
        String scope = " scope=X-Team:ml";

        child(ChildJvm.withAgent(jdk)).run(JavaHttpClientFetch.class,
                "send " + storage.url("/send") + scope,
                "sendAsync " + storage.url("/send-async") + scope,
                "send " + storage.url("/no-scope"),
                "send " + storage.url("/away") + scope,
                "sendAsync " + storage.url("/away-async") + scope,
                "sendAsync " + elsewhere.url("/in") + scope,
                "send " + storage.url("/within") + scope,
                "send " + storage.url("/identical") + scope + " header=X-Team:ml",
                "sendAsync " + storage.url("/program-set") + scope + " header=x-team:app")
                .assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("/send"), "X-Team", "ml");
        // written on the client's executor after the scope closed: the capture in sendAsync is what counts
        assertHeaderOnce(storage.receivedOnce("/send-async"), "X-Team", "ml");
        assertNoHeader(storage.receivedOnce("/no-scope"), "X-Team");
        // target -> non-target: the redirect starts from the previous hop's headers; ours are taken off
        assertHeaderOnce(storage.receivedOnce("/away"), "X-Team", "ml");
        assertNoHeader(elsewhere.receivedOnce("/landed-elsewhere"), "X-Team");
        assertHeaderOnce(storage.receivedOnce("/away-async"), "X-Team", "ml");
        assertNoHeader(elsewhere.receivedOnce("/landed-elsewhere-async"), "X-Team");
        // non-target -> target, on the executor: the target hop gets the capture taken in sendAsync
        assertNoHeader(elsewhere.receivedOnce("/in"), "X-Team");
        assertHeaderOnce(storage.receivedOnce("/landed-in-storage"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("/within"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("/landed-within"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("/identical"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("/program-set"), "X-Team", "app");
    }

    @OnEveryJdk
    void overrideReplacesTheProgramsValue(Jdk jdk) {
        child(ChildJvm.withAgent(jdk)).property("tagalong.override", "true").run(JavaHttpClientFetch.class,
                "send " + storage.url("/program-set") + " scope=X-Team:ml header=x-team:app",
                "sendAsync " + storage.url("/program-set-async") + " scope=X-Team:ml header=X-TEAM:app")
                .assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("/program-set"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("/program-set-async"), "X-Team", "ml");
    }

    @OnEveryJdk
    void switchedOffOrWithoutTheAgentNothingIsAdded(Jdk jdk) {
        String[] calls = {"send " + storage.url("/off-send") + " scope=X-Team:ml",
                "sendAsync " + storage.url("/off-send-async") + " scope=X-Team:ml"};
        var off = child(ChildJvm.withAgent(jdk)).property("tagalong.instrumentation.java-http-client.enabled", "false")
                .run(JavaHttpClientFetch.class, calls).assertCleanRun();
        assertThat(off.tagalongLines()).isEmpty();
        assertNoHeader(storage.receivedOnce("/off-send"), "X-Team");
        assertNoHeader(storage.receivedOnce("/off-send-async"), "X-Team");

        storage.wiremock().resetRequests();
        child(ChildJvm.withoutAgent(jdk)).run(JavaHttpClientFetch.class, calls).assertCleanRun();
        assertNoHeader(storage.receivedOnce("/off-send"), "X-Team");
        assertNoHeader(storage.receivedOnce("/off-send-async"), "X-Team");
    }
}
