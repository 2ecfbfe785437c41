package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;

import io.tagalong.smoke.programs.FetchAttachFetch;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attach to a JVM that already made a request (so HttpURLConnection is loaded and must be retransformed):
 * the request before the attach has no header, the one after has it.
 */
class RuntimeAttachIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    @OnEveryJdk
    void requestsAfterAnAttachCarryHeaders(Jdk jdk) throws Exception {
        ChildJvm child = ChildJvm.withoutAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=ml");
        if (jdk.feature() >= 21) {
            child.jvmOption("-XX:+EnableDynamicAgentLoading"); // else JDK 21+ warns on stderr
        }
        RunningChild running = child.start(FetchAttachFetch.class,
                "GET " + storage.url("/before-attach"), "GET " + storage.url("/after-attach"));
        running.awaitStdout("waiting for attach");

        running.attachAgent();
        running.writeLine("go");
        running.awaitExit().assertCleanRun();

        assertNoHeader(storage.receivedOnce("/before-attach"), "X-Team");
        assertHeaderOnce(storage.receivedOnce("/after-attach"), "X-Team", "ml");
    }
}
