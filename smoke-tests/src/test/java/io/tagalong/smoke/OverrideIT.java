package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;

import io.tagalong.smoke.programs.Fetch;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tagalong.override decides between a header the program set itself and the injected one; never both. */
class OverrideIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    private ChildJvm child(Jdk jdk) {
        return ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=ml,X-Cost-Center=42");
    }

    @OnEveryJdk
    void byDefaultTheProgramsValueIsKept(Jdk jdk) {
        child(jdk).run(Fetch.class, "GET " + storage.url("/key") + " header=X-Team:app").assertCleanRun();

        var request = storage.receivedOnce("/key");
        assertHeaderOnce(request, "X-Team", "app");
        assertHeaderOnce(request, "X-Cost-Center", "42");
    }

    @OnEveryJdk
    void overrideTrueReplacesIt(Jdk jdk) {
        child(jdk).property("tagalong.override", "true")
                .run(Fetch.class, "GET " + storage.url("/key") + " header=x-team:app")
                .assertCleanRun();

        var request = storage.receivedOnce("/key");
        assertHeaderOnce(request, "X-Team", "ml");
        assertHeaderOnce(request, "X-Cost-Center", "42");
    }
}
