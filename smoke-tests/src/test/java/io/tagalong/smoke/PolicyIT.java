package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static io.tagalong.smoke.ReceivedHeaders.assertNoHeader;
import static io.tagalong.smoke.ReceivedHeaders.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.tagalong.smoke.programs.Fetch;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Headers the agent must never inject. Each refused header is dropped whole, logged by name (never its
 * value), and the request still succeeds (assertCleanRun: exit 0, 2xx, no stack trace).
 */
class PolicyIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    private ChildJvm child(Jdk jdk) {
        return ChildJvm.withAgent(jdk).property("tagalong.targets", storage.prefixTarget());
    }

    /** A refusal line names the header (any case) and says refused. */
    private static void assertRefusalLogged(ChildResult result, String name) {
        assertThat(result.tagalongLines()).as("a [tagalong] line refusing %s\n%s", name, result)
                .anyMatch(line -> line.toLowerCase().contains(name.toLowerCase()) && line.contains("refused"));
    }

    @OnEveryJdk
    void baggageValueWithCrLfIsRefused(Jdk jdk) {
        ChildResult result = child(jdk)
                .env("BAGGAGE", "team=ml%0D%0AX-Evil:%201")
                .property("tagalong.baggage.map", "team=X-Team")
                .property("tagalong.headers", "X-Other=ok")
                .run(Fetch.class, "GET " + storage.url("/key"))
                .assertCleanRun();

        var request = storage.receivedOnce("/key");
        assertNoHeader(request, "X-Team");
        assertNoHeader(request, "X-Evil");
        assertHeaderOnce(request, "X-Other", "ok");
        assertRefusalLogged(result, "X-Team");
        assertThat(result.stderr()).as("the refused value leaked to stderr").doesNotContain("X-Evil");
    }

    @OnEveryJdk
    void reservedNamesAreRefused(Jdk jdk) {
        List<String> reserved = List.of("Authorization", "Proxy-Authorization", "Host", "Content-Length", "Cookie",
                "x-amz-security-token", "x-amz-date");
        String headers = Stream.concat(
                reserved.stream().map(name -> name + "=secret-" + name.toLowerCase()),
                Stream.of("X-Team=ml")).reduce((a, b) -> a + "," + b).orElseThrow();
        ChildResult result = child(jdk).property("tagalong.headers", headers)
                .run(Fetch.class, "GET " + storage.url("/key"))
                .assertCleanRun();

        var request = storage.receivedOnce("/key");
        assertHeaderOnce(request, "X-Team", "ml");
        assertHeaderOnce(request, "Host", "127.0.0.1:" + storage.port());
        for (String name : reserved) {
            if (!name.equals("Host")) {
                assertNoHeader(request, name);
            }
            assertRefusalLogged(result, name);
        }
        assertThat(result.stderr()).as("a refused value leaked to stderr").doesNotContain("secret-");
    }

    @OnEveryJdk
    void valueOver4096BytesIsRefused(Jdk jdk) {
        String atLimit = "a".repeat(4096);
        String overLimit = "0123456789abcdef".repeat(256) + "z"; // 4097 bytes
        ChildResult result = child(jdk)
                .property("tagalong.headers", "X-Big=" + overLimit + ",X-At-Limit=" + atLimit + ",X-Team=ml")
                .run(Fetch.class, "GET " + storage.url("/key"))
                .assertCleanRun();

        var request = storage.receivedOnce("/key");
        assertNoHeader(request, "X-Big");
        assertHeaderOnce(request, "X-At-Limit", atLimit);
        assertHeaderOnce(request, "X-Team", "ml");
        assertRefusalLogged(result, "X-Big");
        assertThat(result.stderr()).as("the refused value leaked to stderr").doesNotContain("0123456789abcdef");
    }

    @OnEveryJdk
    void moreThan8192BytesInTotalDropsWholeHeaders(Jdk jdk) {
        List<String> names = List.of("X-Fill-1", "X-Fill-2", "X-Fill-3");
        String value = "v".repeat(3000); // three of them are over 8192 bytes, two are not
        ChildResult result = child(jdk)
                .property("tagalong.headers", String.join(",", names.stream().map(name -> name + "=" + value).toList()))
                .run(Fetch.class, "GET " + storage.url("/key"))
                .assertCleanRun();

        var request = storage.receivedOnce("/key");
        List<String> present = names.stream().filter(name -> !values(request, name).isEmpty()).toList();
        for (String name : present) {
            assertHeaderOnce(request, name, value); // never cut short
        }
        assertThat(present).as("headers injected whole (the others dropped)\n%s", request.getHeaders()).hasSize(2);
        names.stream().filter(name -> !present.contains(name)).forEach(name -> assertRefusalLogged(result, name));
    }

    @OnEveryJdk
    void namesThatAreNotTokensAreRefused(Jdk jdk) {
        ChildResult result = child(jdk)
                .property("tagalong.headers", "Bad Name=secret-bad-name,X(y)=secret-parenthesis,X-Team=ml")
                .run(Fetch.class, "GET " + storage.url("/key"))
                .assertCleanRun();

        var request = storage.receivedOnce("/key");
        assertHeaderOnce(request, "X-Team", "ml");
        assertNoHeader(request, "Bad Name");
        assertNoHeader(request, "X(y)");
        assertThat(request.getHeaders().all()).as("no other header carries the refused values")
                .noneMatch(header -> header.values().stream().anyMatch(v -> v.startsWith("secret-")));
        // reported as refused or as a malformed tagalong.headers entry, by name, never by value
        assertThat(result.tagalongLines()).as("a line naming Bad Name\n%s", result)
                .anyMatch(line -> line.contains("Bad Name") || line.contains("tagalong.headers"));
        assertThat(result.tagalongLines()).as("a line naming X(y)\n%s", result)
                .anyMatch(line -> line.contains("X(y)") || line.contains("tagalong.headers"));
        assertThat(result.stderr()).as("a refused value leaked to stderr").doesNotContain("secret-");
    }

    /** x-amz-* would break a signature made before the agent saw the request; other headers are fine. */
    @OnEveryJdk
    void amzHeadersStayOffSignedRequests(Jdk jdk) {
        String sigV4 = "AWS4-HMAC-SHA256%20Credential=AKIDEXAMPLE/20250101/us-east-1/s3/aws4_request,"
                + "%20SignedHeaders=host,%20Signature=abc123";
        child(jdk).property("tagalong.headers", "x-amz-meta-team=ml,X-Team=ml")
                .run(Fetch.class,
                        "GET " + storage.url("/presigned?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc123"),
                        "GET " + storage.url("/signed") + " header=Authorization:" + sigV4,
                        "GET " + storage.url("/unsigned"))
                .assertCleanRun();

        for (String signed : List.of("/presigned", "/signed")) {
            var request = storage.receivedOnce(signed);
            assertNoHeader(request, "x-amz-meta-team");
            assertHeaderOnce(request, "X-Team", "ml");
        }
        var unsigned = storage.receivedOnce("/unsigned");
        assertHeaderOnce(unsigned, "x-amz-meta-team", "ml");
        assertHeaderOnce(unsigned, "X-Team", "ml");
    }
}
