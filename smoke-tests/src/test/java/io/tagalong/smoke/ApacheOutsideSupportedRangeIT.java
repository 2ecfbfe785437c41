package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HttpAsyncClient 4.0.2 is older than the supported 4.1: its MainClientExec has other method signatures, so the async
 * patches do not fit. The class is left alone with one log line, and every request still succeeds. Its classic
 * HttpClient 4.3.5 still writes through httpcore's HttpRequestExecutor and gets the header.
 */
class ApacheOutsideSupportedRangeIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    @OnEveryJdk
    void anAsyncClientTooOldIsLeftAloneWithOneLogLine(Jdk jdk) {
        ChildResult result = ChildJvm.withAgent(jdk).app("apache-httpasyncclient-4.0")
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=ml")
                .run("io.tagalong.smoke.apps.ApacheHttpClient4Program",
                        "async GET " + storage.url("/async-1"),
                        "async-producer PUT " + storage.url("/async-2"),
                        "classic GET " + storage.url("/classic"))
                .assertCleanRun();

        assertThat(result.tagalongLines()).as("agent lines\n%s", result).singleElement().asString()
                .contains("apache-httpclient-4").contains("MainClientExec").contains("not instrumented");
        assertNoHeader(storage.receivedOnce("/async-1"), "X-Team");
        assertNoHeader(storage.receivedOnce("/async-2"), "X-Team");
        assertHeaderOnce(storage.receivedOnce("/classic"), "X-Team", "ml");
    }
}
