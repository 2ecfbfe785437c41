package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagalong.smoke.programs.Fetch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent is added to existing jobs: the only output it may add to a program is its own [tagalong] lines
 * on stderr (no JVM warning caused by attaching it, nothing on stdout).
 */
class ProgramOutputIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    @OnEveryJdk
    void agentAddsNothingButItsOwnLines(Jdk jdk) {
        String request = "GET " + storage.url("/key");
        ChildResult withAgent = ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=ml")
                .run(Fetch.class, request)
                .assertCleanRun();
        ChildResult withoutAgent = ChildJvm.withoutAgent(jdk).run(Fetch.class, request).assertCleanRun();

        assertThat(withAgent.stdout()).as("stdout with the agent\n%s", withAgent).isEqualTo(withoutAgent.stdout());
        assertThat(withAgent.stderr().lines()).as("stderr lines with the agent\n%s", withAgent)
                .allMatch(line -> line.startsWith("[tagalong] "));
        ReceivedHeaders.assertHeaderOnce(storage.received("/key").get(0), "X-Team", "ml");
    }

    /** Users copy the jar under another name (with a version, say); it must work all the same. */
    @OnEveryJdk
    void renamedJarWorks(Jdk jdk, @TempDir Path dir) throws Exception {
        Path renamed = Files.copy(ChildJvm.agentJar(), dir.resolve("tagalong-agent-0.1.0.jar"));
        ChildJvm.withAgent(jdk).agentJar(renamed)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=ml")
                .run(Fetch.class, "GET " + storage.url("/key"))
                .assertCleanRun();

        ReceivedHeaders.assertHeaderOnce(storage.receivedOnce("/key"), "X-Team", "ml");
    }
}
