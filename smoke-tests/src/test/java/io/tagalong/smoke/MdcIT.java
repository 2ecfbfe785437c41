package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;

import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The application's SLF4J MDC, read where the request is built, as the bound logging backend holds it. */
class MdcIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    /** SLF4J 2 + Logback; precedence: StorageHeaders scope > baggage > MDC (apps/mdc-logback, MdcPrecedence). */
    @OnEveryJdk
    void logbackAndPrecedence(Jdk jdk) {
        ChildJvm.withAgent(jdk).classPath(AppClassPath.of("mdc-logback", "lib"))
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.mdc.map", "requestId=X-Request-Id,team=X-Team")
                .property("tagalong.baggage.map", "team=X-Team")
                .run("io.tagalong.smoke.mdc.MdcPrecedence", storage.url("")).assertCleanRun();

        var mdc = storage.receivedOnce("/mdc");
        assertHeaderOnce(mdc, "X-Request-Id", "r-1");
        assertHeaderOnce(mdc, "X-Team", "mdc");
        assertNoHeader(mdc, "unmapped");
        assertHeaderOnce(storage.receivedOnce("/baggage"), "X-Team", "baggage");
        assertHeaderOnce(storage.receivedOnce("/baggage"), "X-Request-Id", "r-1");
        assertHeaderOnce(storage.receivedOnce("/holder"), "X-Team", "holder");
        assertNoHeader(storage.receivedOnce("/cleared"), "X-Request-Id");
    }

    /** 1.7.36, and the ends of the supported range: 1.7.0 and the newest on Maven Central. */
    static Stream<Arguments> slf4jVersions() {
        return Stream.of("lib", "lib-1.7.0", "lib-2.0.20").flatMap(lib -> Jdk.all().map(jdk -> Arguments.of(lib, jdk)));
    }

    /** SLF4J with slf4j-jdk14 (BasicMDCAdapter: a real MDC). */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("slf4jVersions")
    void slf4jWithJdk14(String lib, Jdk jdk) {
        runMdcFetch(jdk, lib, "true");
        var request = storage.receivedOnce("/mdc");
        assertHeaderOnce(request, "X-Request-Id", "r-17");
        assertNoHeader(request, "unmapped");
    }

    /** SLF4J 2 with slf4j-simple, whose MDC is a no-op: nothing to read, nothing injected. */
    @OnEveryJdk
    void noOpMdcYieldsNothing(Jdk jdk) {
        runMdcFetch(jdk, "lib-simple", "true");
        assertNoHeader(storage.receivedOnce("/mdc"), "X-Request-Id");
    }

    /** Control: the mdc instrumentation switched off. */
    @OnEveryJdk
    void disabled(Jdk jdk) {
        runMdcFetch(jdk, "lib", "false");
        assertNoHeader(storage.receivedOnce("/mdc"), "X-Request-Id");
    }

    private static void runMdcFetch(Jdk jdk, String lib, String enabled) {
        ChildJvm.withAgent(jdk).classPath(AppClassPath.of("mdc-slf4j17", lib))
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.mdc.map", "requestId=X-Request-Id")
                .property("tagalong.mdc.allow", "request*")
                .property("tagalong.instrumentation.mdc.enabled", enabled)
                .run("io.tagalong.smoke.mdc17.MdcFetch", storage.url("")).assertCleanRun();
    }
}
