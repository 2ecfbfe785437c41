package io.tagalong.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged tagalong-agent.jar: its layout, its manifest, and what it does in real JVMs. */
class AgentJarIT {
    static final Path JAR = Path.of(System.getProperty("tagalong.agent.jar", "target/tagalong-agent.jar"));
    static final String TEST_CLASSES = System.getProperty("tagalong.test.classes", "target/test-classes");
    static final String HOOK_CLASS = "io.tagalong.instrumentation.httpurlconnection.HttpUrlConnectionHook";
    static final List<String> INSTRUMENTATIONS = List.of("http-url-connection", "okhttp", "apache-httpclient-4",
            "apache-httpclient-5", "java-http-client", "aws-sdk-1", "aws-sdk-2", "google-http-client",
            "opentelemetry", "mdc", "executors", "spark", "grpc");

    /** The JDK running this test (17 here) and JDK 25, which must be installed. */
    static Stream<String> javas() {
        Path java25 = Path.of(System.getProperty("tagalong.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
        assertTrue(Files.isExecutable(java25), "JDK 25 is missing: " + java25);
        return Stream.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), java25.toString());
    }

    @Test
    void rootHoldsOnlyWhatTheProgramMaySeeAndEverythingElseIsClassdata() throws IOException {
        List<String> wrongAtRoot = new ArrayList<>();
        List<String> inst = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            jar.stream().forEach(entry -> {
                String name = entry.getName();
                if (name.startsWith("inst/")) {
                    inst.add(name);
                } else if (!entry.isDirectory() && !allowedAtRoot(name)) {
                    wrongAtRoot.add(name);
                } else if (name.matches("(org|net|com|kotlin)/.*")) {
                    wrongAtRoot.add(name);
                }
            });
        }
        assertEquals(List.of(), wrongAtRoot, "entries the program's class path would see");
        assertEquals(List.of(), inst.stream().filter(n -> !n.endsWith("/") && !n.endsWith(".classdata")).toList());
        assertTrue(inst.contains("inst/io/tagalong/agent/Agent.classdata"), "agent classes under inst/");
        assertTrue(inst.stream().noneMatch(n -> n.contains("/asm/")), "ASM in the agent (it patches without)");
        assertTrue(inst.stream().noneMatch(n -> n.startsWith("inst/org/")), "unrelocated classes under inst/");
    }

    private static boolean allowedAtRoot(String name) {
        return name.startsWith("META-INF/")
                || name.matches("io/tagalong/StorageHeaders(\\$.*)?\\.class")
                || name.startsWith("io/tagalong/bootstrap/")
                || name.startsWith("io/tagalong/instrumentation/")
                // AgentClassLoader is nested in AgentLauncher: both are loaded by the system class loader.
                || name.matches("io/tagalong/agent/AgentLauncher(\\$[A-Za-z]+)?\\.class");
    }

    @Test
    void manifestMakesItAnAgentAndAnExecutableJar() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("io.tagalong.agent.AgentLauncher", main.getValue("Premain-Class"));
            assertEquals("io.tagalong.agent.AgentLauncher", main.getValue("Agent-Class"));
            assertEquals("io.tagalong.agent.AgentLauncher", main.getValue("Main-Class"));
            assertEquals("tagalong-agent.jar", main.getValue("Boot-Class-Path"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertEquals("true", main.getValue("Can-Redefine-Classes"));
            assertEquals("Tagalong", main.getValue("Implementation-Title"));
            assertTrue(main.getValue("Implementation-Version") != null, "Implementation-Version");
        }
    }

    @ParameterizedTest
    @MethodSource("javas")
    void selfCheckPrintsVersionConfigurationAndInstrumentations(String java) throws Exception {
        Run run = run(java, "-jar", JAR.toString());
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.lines.get(0).matches("Tagalong \\S+"), run.toString());
        assertTrue(run.lines.contains("configuration:"), run.toString());
        assertTrue(run.lines.contains("instrumentations:"), run.toString());
        for (String name : INSTRUMENTATIONS) {
            assertTrue(run.lines.stream().anyMatch(l -> l.matches("\\s+" + name + "\\s+(available|not in this build)\\s+(enabled|disabled)")),
                    name + " missing in\n" + run);
        }
        assertTrue(run.lines.stream().anyMatch(l -> l.matches("\\s+http-url-connection\\s+available\\s+enabled")), run.toString());
    }

    @Test
    void selfCheckShowsADisabledInstrumentation() throws Exception {
        Run run = run(javas().findFirst().orElseThrow(), "-Dtagalong.instrumentation.okhttp.enabled=false", "-jar", JAR.toString());
        assertTrue(run.lines.stream().anyMatch(l -> l.matches("\\s+okhttp\\s+available\\s+disabled")), run.toString());
    }

    /** Needs the real Config.describe(): fails against the bootstrap stub, whose describe() is empty. */
    @Test
    void selfCheckShowsHeaderNamesButNotTheirValues() throws Exception {
        Run run = run(javas().findFirst().orElseThrow(), "-Dtagalong.headers=X-Team=secretvalue", "-jar", JAR.toString());
        assertTrue(run.output.contains("X-Team"), run.toString());
        assertFalse(run.output.contains("secretvalue"), run.toString());
    }

    @Test
    void selfCheckListsConfigurationProblemsWithoutValues() throws Exception {
        Run run = run(javas().findFirst().orElseThrow(), "-Dtagalong.headers=X-Team,X-Ok=fine,X-Bad=%zzsecret", "-jar", JAR.toString());
        assertTrue(run.output.contains("configuration problems (these entries are ignored):"), run.toString());
        assertTrue(run.output.contains("tagalong.headers: entry 1 ignored: expected name=value"), run.toString());
        assertTrue(run.output.contains("tagalong.headers: entry 3 ignored: bad percent-encoding"), run.toString());
        assertFalse(run.output.contains("secret"), run.toString());
    }

    /**
     * The patched HttpURLConnection calls the hook (the JVM loads it from the jar) and the request still works. The
     * JVM verifies the bootstrap classes too here, so the JDK classes patched at load with the state field
     * (HttpURLConnection, and ForkJoinTask and the thread pools, which the program also uses) must pass its verifier.
     */
    @ParameterizedTest
    @MethodSource("javas")
    void httpUrlConnectionCallsTheHook(String java) throws Exception {
        Run run = run(java, "-javaagent:" + JAR, "-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal", "-verbose:class", "-cp", TEST_CLASSES,
                "io.tagalong.agent.it.HttpGetProgram");
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.lines.contains("response 200 ok"), run.toString());
        assertTrue(run.lines.stream().anyMatch(l -> l.contains(HOOK_CLASS)), "hook never loaded:\n" + run);
        assertEquals(List.of(), run.lines.stream().filter(l -> l.startsWith("[tagalong]")).toList(), "agent complained");
        // An append to the bootstrap class path from premain makes the JVM warn about class sharing: Boot-Class-Path does not.
        assertEquals(List.of(), run.lines.stream().filter(l -> l.contains("VM warning")).toList(), "JVM warned");
    }

    /** Boot-Class-Path names the jar file; a renamed copy must still put the hooks on the bootstrap class path. */
    @Test
    void aRenamedJarStillWorks(@TempDir Path dir) throws Exception {
        Path renamed = Files.copy(JAR, dir.resolve("tagalong-agent-0.1.jar"));
        Run run = run(javas().findFirst().orElseThrow(), "-javaagent:" + renamed, "-verbose:class", "-cp", TEST_CLASSES,
                "io.tagalong.agent.it.HttpGetProgram");
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.lines.contains("response 200 ok"), run.toString());
        assertTrue(run.lines.stream().anyMatch(l -> l.contains(HOOK_CLASS) && l.contains(renamed.toString())),
                "hook not loaded from the renamed jar:\n" + run);
    }

    @Test
    void aDisabledInstrumentationPatchesNothing() throws Exception {
        Run run = run(javas().findFirst().orElseThrow(), "-javaagent:" + JAR, "-verbose:class",
                "-Dtagalong.instrumentation.http-url-connection.enabled=false",
                "-cp", TEST_CLASSES, "io.tagalong.agent.it.HttpGetProgram");
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.lines.contains("response 200 ok"), run.toString());
        assertFalse(run.lines.stream().anyMatch(l -> l.contains(HOOK_CLASS)), run.toString());
    }

    /** {@code output}: what the process printed, stdout and stderr; {@code toString()} adds the command. */
    record Run(String command, int exitCode, String output, List<String> lines) {
        @Override
        public String toString() {
            return command + "\n" + output;
        }
    }

    static Run run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] bytes = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) { // a hang guard, not a timing assertion
            process.destroyForcibly();
        }
        String output = new String(bytes, StandardCharsets.UTF_8);
        return new Run(String.join(" ", command), process.exitValue(), output,
                Collections.unmodifiableList(List.of(output.split("\\R"))));
    }
}
