package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Apache HttpClient 4 check on a relocated copy of the client (app relocated: org/apache/http/ shaded to
 * shaded/acme/apache/http/, the first segment dropped, as snowflake-jdbc and databricks-jdbc carry it).
 */
class RelocatedApacheHttpClient4IT extends ApacheHttpClient4IT {
    @Override
    String app() {
        return "relocated";
    }

    /** The oldest version is ApacheHttpClient4IT's: here the first check runs on the relocated copy only. */
    @Override
    String oldestApp() {
        return app();
    }

    /** No silent misses: the debug output names the copy and each of its classes instrumented. */
    @OnEveryJdk
    void theDebugOutputNamesTheCopy(Jdk jdk) {
        ChildResult result = ChildJvm.withAgent(jdk).app(app()).property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.debug", "true")
                .run(program(), "classic GET " + storage.url("/debug"), "async GET " + storage.url("/debug-async"))
                .assertCleanRun();
        String copy = "apache-httpclient-4 relocated under shaded/acme/ (first package segment dropped)";
        assertThat(result.stderr()).as(result.toString())
                .containsOnlyOnce("[tagalong] DEBUG " + copy + ": found, instrumenting its classes as they load")
                .contains("[tagalong] DEBUG " + copy + ": instrumented shaded.acme.apache.http.protocol.HttpRequestExecutor")
                .contains("[tagalong] DEBUG " + copy + ": instrumented shaded.acme.apache.http.impl.nio.client.MainClientExec");
    }
}
