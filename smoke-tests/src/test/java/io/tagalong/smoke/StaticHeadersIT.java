package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tagalong.smoke.programs.Fetch;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tagalong.headers reach storage requests, exactly once, and nothing else. */
class StaticHeadersIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();
    @RegisterExtension static final StorageServer elsewhere = new StorageServer();

    @OnEveryJdk
    void staticHeadersOnTargetOnlyOnce(Jdk jdk) {
        ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=ml,X-Cost-Center=42")
                .run(Fetch.class, "GET " + storage.url("/bucket/key"), "GET " + elsewhere.url("/bucket/key"))
                .assertCleanRun();

        LoggedRequest target = storage.receivedOnce("/bucket/key");
        assertHeaderOnce(target, "X-Team", "ml");
        assertHeaderOnce(target, "X-Cost-Center", "42");
        LoggedRequest nonTarget = elsewhere.receivedOnce("/bucket/key");
        assertNoHeader(nonTarget, "X-Team");
        assertNoHeader(nonTarget, "X-Cost-Center");
    }

    /** Control: the same program without the agent sends no header, so the checks above can fail. */
    @OnEveryJdk
    void withoutTheAgentNoHeader(Jdk jdk) {
        ChildJvm.withoutAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=ml,X-Cost-Center=42")
                .run(Fetch.class, "GET " + storage.url("/bucket/key"))
                .assertCleanRun();

        LoggedRequest request = storage.receivedOnce("/bucket/key");
        assertNoHeader(request, "X-Team");
        assertNoHeader(request, "X-Cost-Center");
    }

    @OnEveryJdk
    void instrumentationSwitchedOffAddsNothing(Jdk jdk) {
        ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=ml")
                .property("tagalong.instrumentation.http-url-connection.enabled", "false")
                .run(Fetch.class, "GET " + storage.url("/bucket/key"))
                .assertCleanRun();

        assertNoHeader(storage.receivedOnce("/bucket/key"), "X-Team");
    }
}
