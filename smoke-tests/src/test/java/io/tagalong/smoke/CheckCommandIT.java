package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar tagalong-agent.jar check ...}, the dry run, in a real JVM with the configuration as
 * properties: its report and exit status for a target, a non-target, a refused header, an audited miss and usage
 * errors. No request is sent; no value is printed (ConfiguredValues scans the whole output for them).
 */
class CheckCommandIT {
    static final String TARGET = "http://127.0.0.1:9/bucket/";
    static final String TEAM_VALUE = "check-team-51d2e0";
    static final String JOB_VALUE = "check-job-9a7b44";

    @TempDir Path dir;

    private static ChildJvm agentCommand(Jdk jdk) {
        return ChildJvm.withoutAgent(jdk).classPath(ChildJvm.agentJar().toString())
                .property("tagalong.targets", TARGET)
                .property("tagalong.headers", "X-Team=" + TEAM_VALUE)
                .property("tagalong.baggage.allow", "X-My-Header-*,x-amz-*")
                .property("tagalong.required", "X-Team,X-My-Header-*");
    }

    private static ChildResult run(ChildJvm child, String... args) {
        return child.run(ConfiguredValues.AGENT_MAIN, args);
    }

    @OnEveryJdk
    void aTargetThatPassesTheAudit(Jdk jdk) {
        ChildResult result = run(agentCommand(jdk), "check", "--method", "PUT", "--baggage", "X-My-Header-Job=" + JOB_VALUE,
                TARGET + "key.txt");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result)
                .contains("check: PUT http://127.0.0.1:9/bucket/key.txt   (client http: a plain HTTP client's layer)")
                .contains("storage request: yes, by tagalong.targets rule URL prefix " + TARGET)
                .containsPattern("set +X-My-Header-Job +from baggage\n")
                .containsPattern("set +X-Team +from tagalong.headers\n")
                .contains("rules: X-Team, X-My-Header-*", "every rule passes", "result: pass (exit 0)");
    }

    @OnEveryJdk
    void aRequestThatIsNotAStorageRequestPasses(Jdk jdk) {
        ChildResult result = run(agentCommand(jdk), "check", "https://api.example.com/v1/items");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result)
                .contains("storage request: no (no rule of tagalong.targets matches: " + TARGET + ")")
                .contains("result: pass (exit 0)")
                .doesNotContain("headers:");
    }

    /** A name from baggage that changes the request is refused; on a presigned URL an x-amz-* header is too. */
    @OnEveryJdk
    void refusedHeadersAreListedWithTheirReason(Jdk jdk) {
        ChildResult result = run(agentCommand(jdk), "check",
                "--baggage", "X-My-Header-Job=" + JOB_VALUE + ",x-amz-acl=public-read-write",
                "--scope", "x-amz-meta-job=" + JOB_VALUE, TARGET + "key.txt?X-Amz-Signature=abc");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).as("%s", result)
                .containsPattern("refused +x-amz-meta-job +from context holder: the request is already signed\n")
                .containsPattern("refused +x-amz-acl +from baggage: changes what the storage request does")
                .containsPattern("set +X-My-Header-Job +from baggage\n");
    }

    /** The same header from the SDK's layer, before signing, is set. */
    @OnEveryJdk
    void theSdkLayerSetsWhatThePlainClientLayerMayNot(Jdk jdk) {
        ChildResult result = run(agentCommand(jdk).property("tagalong.targets", "s3"), "check", "--client", "s3", "--scope", "x-amz-meta-job=" + JOB_VALUE,
                "https://s3.example.com/bucket/key.txt");

        assertThat(result.stdout()).as("%s", result)
                .contains("storage request: yes, by tagalong.targets rule s3 (a request of an AWS SDK S3 client, whatever its endpoint)")
                .containsPattern("set +x-amz-meta-job +from context holder\n");
    }

    @OnEveryJdk
    void anAuditedMissExitsOne(Jdk jdk) {
        Path file = dir.resolve("audit.jsonl");
        ChildResult result = run(agentCommand(jdk).property("tagalong.audit.file", file.toString()), "check", TARGET + "key.txt");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.stdout()).as("%s", result)
                .contains("missing: X-My-Header-* (counted, logged once per host and rule)")
                .contains("audit file: a line would be appended to " + file)
                .contains("result: audit miss (exit 1)");
        assertThat(file).as("a dry run writes nothing").doesNotExist();
    }

    @OnEveryJdk
    void usageErrorsExitTwoAndHelpPrintsTheUsage(Jdk jdk) {
        for (String[] args : new String[][] {{"check"}, {"check", "--frobnicate", "x", TARGET}, {"frobnicate"},
                {"check", "ftp://host/x"}, {"check", "--client", "netty", TARGET}, {"check", "--method"}}) {
            ChildResult result = run(agentCommand(jdk), args);
            assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
            assertThat(result.stderr()).as("%s", result).startsWith("tagalong: ").contains("usage: java -jar tagalong-agent.jar");
            assertThat(result.stdout()).as("%s", result).isEmpty();
        }
        ChildResult help = run(agentCommand(jdk), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("usage: java -jar tagalong-agent.jar", "check [options] URL", "--client http|s3|gcs");
        ChildResult selfCheck = run(agentCommand(jdk));
        assertThat(selfCheck.exitCode()).isZero();
        assertThat(selfCheck.stdout()).contains("configuration:", "tagalong.headers = X-Team=<redacted>", "instrumentations:");
    }
}
