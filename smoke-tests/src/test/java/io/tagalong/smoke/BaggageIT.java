package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;

import io.tagalong.smoke.programs.Fetch;
import io.tagalong.smoke.programs.ScopedFetch;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The BAGGAGE environment variable: only mapped or allowed entries become headers; precedence between sources. */
class BaggageIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    @OnEveryJdk
    void mappedAndAllowedEntriesOnly(Jdk jdk) {
        ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .env("BAGGAGE", "team=ml,job=nightly%20run,secret=x")
                .property("tagalong.baggage.map", "team=X-Team")
                .property("tagalong.baggage.allow", "job")
                .run(Fetch.class, "GET " + storage.url("/key"))
                .assertCleanRun();

        var request = storage.receivedOnce("/key");
        assertHeaderOnce(request, "X-Team", "ml");
        assertHeaderOnce(request, "job", "nightly run");
        assertNoHeader(request, "secret");
        assertNoHeader(request, "team");
    }

    /** Same header name from three sources: the scope wins inside it; outside it BAGGAGE beats tagalong.headers. */
    @OnEveryJdk
    void holderBeatsBaggageBeatsStatic(Jdk jdk) {
        ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=static,X-Static-Only=s")
                .env("BAGGAGE", "team=baggage")
                .property("tagalong.baggage.map", "team=X-Team")
                .run(ScopedFetch.class, "scope", storage.url(""), "X-Team=holder")
                .assertCleanRun();

        var inScope = storage.receivedOnce("/in-scope");
        assertHeaderOnce(inScope, "X-Team", "holder");
        assertHeaderOnce(inScope, "X-Static-Only", "s");
        var outside = storage.receivedOnce("/outside");
        assertHeaderOnce(outside, "X-Team", "baggage");
        assertHeaderOnce(outside, "X-Static-Only", "s");
    }
}
