package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static org.assertj.core.api.Assertions.assertThat;

import io.tagalong.smoke.programs.Fetch;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tagalong.required: a storage request leaving without a required header is reported once per host and name. */
class RequiredHeadersIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    private ChildJvm child(Jdk jdk) {
        return ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.required", "X-Audit");
    }

    private static List<String> missingLines(ChildResult result) {
        return result.tagalongLines().stream().filter(line -> line.contains("required header X-Audit missing")).toList();
    }

    @OnEveryJdk
    void missingRequiredHeaderIsReportedOncePerHost(Jdk jdk) {
        ChildResult result = child(jdk)
                .run(Fetch.class, "GET " + storage.url("/first"), "GET " + storage.url("/second"))
                .assertCleanRun();

        assertThat(missingLines(result)).as("required-header lines\n%s", result).hasSize(1)
                .allMatch(line -> line.contains("127.0.0.1"), "names the host 127.0.0.1");
        storage.receivedOnce("/first");
        storage.receivedOnce("/second");
    }

    @OnEveryJdk
    void requiredHeaderPresentIsNotReported(Jdk jdk) {
        ChildResult result = child(jdk).property("tagalong.headers", "X-Audit=1")
                .run(Fetch.class, "GET " + storage.url("/first"))
                .assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("/first"), "X-Audit", "1");
        assertThat(missingLines(result)).as("required-header lines\n%s", result).isEmpty();
    }
}
