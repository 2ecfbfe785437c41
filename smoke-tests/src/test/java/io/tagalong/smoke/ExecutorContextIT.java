package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tagalong.smoke.programs.ExecutorFetch;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * StorageHeaders scopes follow work handed to other threads without StorageHeaders.wrap (program ExecutorFetch):
 * each request carries its own scope's value, and a thread that ran a task in a scope carries nothing afterwards.
 */
class ExecutorContextIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    private ChildResult run(Jdk jdk, String scenario) {
        return ChildJvm.withAgent(jdk).property("tagalong.targets", storage.prefixTarget())
                .run(ExecutorFetch.class, scenario, storage.url("")).assertCleanRun();
    }

    private void assertCarried(String... names) {
        for (String name : names) assertHeaderOnce(storage.receivedOnce("/" + name), "X-Task", name);
    }

    private void assertNone(String name) {
        assertNoHeader(storage.receivedOnce("/" + name), "X-Task");
    }

    @OnEveryJdk
    void threadPool(Jdk jdk) {
        run(jdk, "pool");
        assertCarried("pool-a", "pool-b");
        assertNone("pool-after");
    }

    @OnEveryJdk
    void scheduledPool(Jdk jdk) {
        run(jdk, "scheduled");
        assertCarried("scheduled-a", "scheduled-b");
        assertNone("scheduled-after");
    }

    @OnEveryJdk
    void completableFutureAsync(Jdk jdk) {
        run(jdk, "completable");
        assertCarried("cf-a", "cf-b");
        assertNone("cf-after");
    }

    @OnEveryJdk
    void forkJoinPool(Jdk jdk) {
        run(jdk, "forkjoin");
        assertCarried("fj-a", "fj-b");
        assertNone("fj-after");
    }

    @OnEveryJdk
    void parallelStream(Jdk jdk) {
        run(jdk, "parallel");
        for (int i = 0; i < 8; i++) {
            assertHeaderOnce(storage.receivedOnce("/par-" + i), "X-Task", "par");
            assertNone("par-after-" + i);
        }
    }

    @OnEveryJdk
    void virtualThreads(Jdk jdk) {
        assumeTrue(jdk.feature() >= 21, "virtual threads need JDK 21+");
        run(jdk, "virtual");
        assertCarried("vt-a", "vt-b");
        assertNone("vt-after");
    }

    /** Control: with the executors instrumentation off, a pool thread's request carries nothing. */
    @OnEveryJdk
    void disabled(Jdk jdk) {
        ChildJvm.withAgent(jdk).property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.instrumentation.executors.enabled", "false")
                .run(ExecutorFetch.class, "pool", storage.url("")).assertCleanRun();
        assertNone("pool-a");
    }
}
