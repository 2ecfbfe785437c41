package io.tagalong.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** A JDK the child JVMs run on. Every smoke test runs on each of {@link #all()}. */
public record Jdk(String name, Path home) {

    private static final Path DEFAULT_JDK17 = Paths.get("/usr/lib/jvm/java-17-openjdk-amd64");

    /** JDK 17 (the test JVM's own when it is a 17) and the JDK 25 named by the pom's tagalong.jdk25.home. */
    public static Stream<Jdk> all() {
        Path jdk17 = Runtime.version().feature() == 17 ? Paths.get(System.getProperty("java.home")) : DEFAULT_JDK17;
        String jdk25 = System.getProperty("tagalong.jdk25.home");
        if (jdk25 == null || jdk25.isEmpty()) {
            throw new IllegalStateException("system property tagalong.jdk25.home is not set: run through Maven (failsafe sets it)");
        }
        return Stream.of(new Jdk("JDK 17", jdk17), new Jdk("JDK 25", Paths.get(jdk25)));
    }

    /** The java launcher; a listed JDK that is missing fails the test, it is never skipped. */
    public Path java() {
        Path java = home.resolve("bin/java");
        if (!Files.isExecutable(java)) {
            throw new AssertionError(name + " is missing: no executable " + java
                    + " (every smoke test must run on it; install it or fix tagalong.jdk25.home)");
        }
        return java;
    }

    /** The feature release (17, 25, ...), read from the JDK's release file. */
    public int feature() {
        try (Stream<String> lines = Files.lines(home.resolve("release"))) {
            String version = lines.filter(line -> line.startsWith("JAVA_VERSION="))
                    .findFirst().orElseThrow(() -> new AssertionError("no JAVA_VERSION in " + home.resolve("release")))
                    .replaceAll("JAVA_VERSION=|\"", "");
            return Integer.parseInt(version.split("[.+-]")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + home + ")";
    }
}
