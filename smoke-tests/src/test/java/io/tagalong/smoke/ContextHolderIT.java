package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;

import io.tagalong.smoke.programs.ScopedFetch;
import org.junit.jupiter.api.extension.RegisterExtension;

/** io.tagalong.StorageHeaders scopes, as a program uses them. */
class ContextHolderIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    private ChildJvm child(Jdk jdk) {
        return ChildJvm.withAgent(jdk).property("tagalong.targets", storage.prefixTarget());
    }

    @OnEveryJdk
    void innerScopeWinsAndOuterHeadersStay(Jdk jdk) {
        child(jdk).run(ScopedFetch.class, "nested", storage.url("")).assertCleanRun();

        var request = storage.receivedOnce("/nested");
        assertHeaderOnce(request, "X-Team", "inner");
        assertHeaderOnce(request, "X-Outer", "kept");
    }

    @OnEveryJdk
    void wrapCarriesHeadersToAPoolThread(Jdk jdk) {
        child(jdk).run(ScopedFetch.class, "wrap", storage.url("")).assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("/wrapped"), "X-Team", "ml");
    }

    @OnEveryJdk
    void noHeaderAfterTheScopeClosed(Jdk jdk) {
        child(jdk).run(ScopedFetch.class, "after-close", storage.url("")).assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("/in-scope"), "X-Team", "ml");
        assertNoHeader(storage.receivedOnce("/after-close"), "X-Team");
    }

    @OnEveryJdk
    void scopeBeatsStaticHeaderOfTheSameName(Jdk jdk) {
        child(jdk).property("tagalong.headers", "X-Team=static,X-Cost-Center=42")
                .run(ScopedFetch.class, "scope", storage.url(""), "X-Team=holder")
                .assertCleanRun();

        var inScope = storage.receivedOnce("/in-scope");
        assertHeaderOnce(inScope, "X-Team", "holder");
        assertHeaderOnce(inScope, "X-Cost-Center", "42");
        assertHeaderOnce(storage.receivedOnce("/outside"), "X-Team", "static");
    }
}
