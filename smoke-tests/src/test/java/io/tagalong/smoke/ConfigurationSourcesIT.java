package io.tagalong.smoke;

import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;

import io.tagalong.smoke.programs.Fetch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every key comes from a system property, an environment variable or a file; property > environment > file. */
class ConfigurationSourcesIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    @TempDir Path dir;

    private ChildJvm child(Jdk jdk) throws Exception {
        Path file = Files.writeString(dir.resolve("tagalong.properties"),
                "tagalong.targets=" + storage.prefixTarget().replace(":", "\\:") + "\n"
                        + "tagalong.headers=X-Team=file,X-From-File=1\n");
        return ChildJvm.withAgent(jdk).env("TAGALONG_CONFIG_FILE", file.toString());
    }

    @OnEveryJdk
    void environmentBeatsFile(Jdk jdk) throws Exception {
        child(jdk).env("TAGALONG_HEADERS", "X-Team=env")
                .run(Fetch.class, "GET " + storage.url("/key"))
                .assertCleanRun();

        // targets still come from the file; headers is one key, taken whole from the environment
        var request = storage.receivedOnce("/key");
        assertHeaderOnce(request, "X-Team", "env");
        ReceivedHeaders.assertNoHeader(request, "X-From-File");
    }

    @OnEveryJdk
    void systemPropertyBeatsEnvironment(Jdk jdk) throws Exception {
        child(jdk).env("TAGALONG_HEADERS", "X-Team=env")
                .property("tagalong.headers", "X-Team=property")
                .run(Fetch.class, "GET " + storage.url("/key"))
                .assertCleanRun();

        assertHeaderOnce(storage.receivedOnce("/key"), "X-Team", "property");
    }
}
