package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tagalong.smoke.programs.FetchAttachFetch;
import io.tagalong.smoke.programs.ScopedAttachFetch;
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

    /**
     * The program loaded its own copy of StorageHeaders from its class path before the attach, so its scopes live in
     * that copy: the agent reads them too. A copy that a child-first loader defines after the attach is read as well.
     */
    @OnEveryJdk
    void scopesOfTheProgramsOwnHolderCopyCarryHeadersAfterAnAttach(Jdk jdk) throws Exception {
        ChildJvm child = ChildJvm.withoutAgent(jdk).property("tagalong.targets", storage.prefixTarget());
        if (jdk.feature() >= 21) {
            child.jvmOption("-XX:+EnableDynamicAgentLoading");
        }
        RunningChild running = child.start(ScopedAttachFetch.class, storage.url(""));
        running.awaitStdout("waiting for attach");

        running.attachAgent();
        running.writeLine("go");
        ChildResult result = running.awaitExit().assertCleanRun();

        assertTrue(result.stdout().contains("StorageHeaders defined by class path"), result.toString());
        assertNoHeader(storage.receivedOnce("/before-attach"), "X-Early");
        assertHeaderOnce(storage.receivedOnce("/after-attach"), "X-Job", "42");
        assertNoHeader(storage.receivedOnce("/after-attach"), "X-Early");
        assertHeaderOnce(storage.receivedOnce("/child-first"), "X-Tenant", "t1");
        assertNoHeader(storage.receivedOnce("/child-first"), "X-Job");
    }
}
