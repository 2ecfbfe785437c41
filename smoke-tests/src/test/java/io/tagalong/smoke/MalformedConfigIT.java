package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static org.assertj.core.api.Assertions.assertThat;

import io.tagalong.smoke.programs.Fetch;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A malformed entry is reported once by key (never by value) and ignored; the program and valid entries go on. */
class MalformedConfigIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    @OnEveryJdk
    void malformedEntriesAreReportedAndValidOnesStillWork(Jdk jdk) {
        ChildResult result = ChildJvm.withAgent(jdk)
                .property("tagalong.headers", "X-Team,X-Cost-Center=42")      // X-Team has no '='
                .property("tagalong.override", "maybe")
                .property("tagalong.targets", "http://[," + storage.prefixTarget())
                .run(Fetch.class, "GET " + storage.url("/key") + " header=X-Cost-Center:app")
                .assertCleanRun();

        var request = storage.receivedOnce("/key");
        // override=maybe is ignored, so the default (false) keeps the program's own value
        assertHeaderOnce(request, "X-Cost-Center", "app");
        assertNoHeader(request, "X-Team");
        for (String key : List.of("tagalong.headers", "tagalong.override", "tagalong.targets")) {
            assertThat(result.tagalongLines()).as("lines naming %s\n%s", key, result)
                    .filteredOn(line -> line.contains(key)).hasSize(1);
        }
        assertThat(result.stderr()).as("a malformed value leaked to stderr").doesNotContain("maybe");
    }

    @OnEveryJdk
    void validEntryNextToAMalformedOneIsInjected(Jdk jdk) {
        ChildJvm.withAgent(jdk)
                .property("tagalong.headers", "X-Team,X-Cost-Center=42")
                .property("tagalong.targets", "http://[," + storage.prefixTarget())
                .run(Fetch.class, "GET " + storage.url("/key"))
                .assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("/key"), "X-Cost-Center", "42");
    }
}
