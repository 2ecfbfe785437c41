package io.tagalong.smoke;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Class paths and files of the program modules under smoke-tests/apps (built before this module). */
final class AppClassPath {
    private AppClassPath() {}

    /** The module's target directory; fails clearly when it was not built. */
    static Path target(String app) {
        String apps = System.getProperty("tagalong.smoke.apps.dir", "apps");
        Path target = Paths.get(apps).toAbsolutePath().resolve(app).resolve("target").normalize();
        if (!Files.isDirectory(target)) {
            throw new AssertionError(target + " not found: build it first, e.g. mvn -B -pl smoke-tests -am verify");
        }
        return target;
    }

    /** {@code apps/<app>/target/classes} plus every jar of {@code apps/<app>/target/<libDir>}. */
    static String of(String app, String libDir) {
        Path target = target(app);
        return target.resolve("classes") + File.pathSeparator + target.resolve(libDir) + File.separator + "*";
    }

    /** The OpenTelemetry Java agent 2.22.0, copied by module service-http. */
    static Path openTelemetryAgent() {
        return target("service-http").resolve("otel-agent/opentelemetry-javaagent.jar");
    }

    /** An agent with the OpenTelemetry agent's main class and none of its layout. */
    static Path fakeOpenTelemetryAgent() {
        return target("otel-fake-agent").resolve("otel-fake-agent.jar");
    }
}
