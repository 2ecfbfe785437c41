package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;

import io.tagalong.smoke.programs.Fetch;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every hop of a followed redirect is decided on its own: headers go to target hops only, once each. */
class RedirectIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();
    @RegisterExtension static final StorageServer elsewhere = new StorageServer();

    private static void redirect(StorageServer from, String path, String location) {
        from.wiremock().stubFor(get(path).willReturn(aResponse().withStatus(302).withHeader("Location", location)));
    }

    @OnEveryJdk
    void eachHopGetsHeadersOnlyIfItIsATarget(Jdk jdk) {
        redirect(storage, "/away", elsewhere.url("/landed-elsewhere"));
        redirect(elsewhere, "/in", storage.url("/landed-in-storage"));
        redirect(storage, "/within", storage.url("/landed-within"));

        ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=ml")
                .run(Fetch.class,
                        "GET " + storage.url("/away"),
                        "GET " + elsewhere.url("/in"),
                        "GET " + storage.url("/within"))
                .assertCleanRun();

        // target -> non-target: the second hop carries nothing
        assertHeaderOnce(storage.receivedOnce("/away"), "X-Team", "ml");
        assertNoHeader(elsewhere.receivedOnce("/landed-elsewhere"), "X-Team");
        // non-target -> target: the target hop gets them
        assertNoHeader(elsewhere.receivedOnce("/in"), "X-Team");
        assertHeaderOnce(storage.receivedOnce("/landed-in-storage"), "X-Team", "ml");
        // target -> target: once on each hop, not twice on the second
        assertHeaderOnce(storage.receivedOnce("/within"), "X-Team", "ml");
        assertHeaderOnce(storage.receivedOnce("/landed-within"), "X-Team", "ml");
    }
}
