package io.tagalong.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the README's demo command (the packaged jar, in a child JVM, from the repository root) and checks the
 * output shows what the server received: injected headers with the agent, none without it.
 */
class DemoJobIT {
    private static final Path ROOT = Paths.get(System.getProperty("tagalong.root", "..")).toAbsolutePath().normalize();
    private static final Path AGENT = ROOT.resolve("agent/target/tagalong-agent.jar");
    private static final Path DEMO = ROOT.resolve("demo/target/tagalong-demo.jar");

    static List<String> javas() {
        return Arrays.asList(System.getProperty("java.home"), System.getProperty("tagalong.jdk25.home"));
    }

    @ParameterizedTest
    @MethodSource("javas")
    void withTheAgentTheServerReceivesTheConfiguredAndScopedHeaders(String javaHome) throws Exception {
        assertThat(AGENT).as("the agent jar (mvn -B package builds it before this module)").exists();
        Run run = demo(javaHome, "-javaagent:" + AGENT, "-Dtagalong.headers=X-Team=ml,x-amz-meta-team=ml");

        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("Tagalong agent : attached", "Demo finished: all requests succeeded.");
        // Every one of the six requests carries the static headers, marked, and the SDK signed them.
        assertThat(lines(run.out, "X-Team: ml")).hasSize(6).allMatch(l -> l.endsWith("<- tagalong"));
        assertThat(lines(run.out, "x-amz-meta-team: ml")).hasSize(6).allMatch(l -> l.endsWith("<- tagalong"));
        assertThat(lines(run.out, "Authorization: AWS4-HMAC-SHA256")).hasSize(6)
                .allMatch(l -> l.matches(".*SignedHeaders=[^,]*;x-amz-meta-team;[^,]*x-team,.*"));
        // The scoped header reaches only the request made inside the scope: the object PUT.
        assertThat(block(run.out, 2)).anyMatch(l -> l.trim().startsWith("X-Job-Id: demo-42") && l.endsWith("<- tagalong"));
        assertThat(lines(run.out, "X-Job-Id:")).hasSize(1);
        // The server stored the injected x-amz-meta-team as object metadata and returns it.
        assertThat(block(run.out, 4)).anyMatch(l -> l.contains("object metadata the server stored") && l.contains("team=ml"));
        // The server checks signatures: the request signed with a wrong secret is refused.
        assertThat(block(run.out, 6)).anyMatch(l -> l.contains("403 refused"));
        assertThat(run.err).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest
    @MethodSource("javas")
    void withoutTheAgentNothingIsInjected(String javaHome) throws Exception {
        Run run = demo(javaHome, "-Dtagalong.headers=X-Team=ml,x-amz-meta-team=ml");

        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("Tagalong agent : not attached", "Demo finished: all requests succeeded.");
        assertThat(run.out.split("\n")).noneMatch(l -> l.endsWith("<- tagalong"));
        assertThat(run.out).doesNotContain("X-Team:", "X-Job-Id:", "x-amz-meta-team:", "x-team");
        assertThat(block(run.out, 6)).anyMatch(l -> l.contains("403 refused"));
    }

    /** Lines of one step's block: from "N. job:" to the next step. */
    private static List<String> block(String out, int step) {
        String[] parts = out.split("\n(?=\\d+\\. job: )");
        return Arrays.stream(parts).filter(p -> p.startsWith(step + ". job: ")).findFirst()
                .map(p -> Arrays.asList(p.split("\n"))).orElseThrow(() -> new AssertionError("no step " + step + " in:\n" + out));
    }

    private static List<String> lines(String out, String start) {
        return Arrays.stream(out.split("\n")).filter(l -> l.trim().startsWith(start)).collect(Collectors.toList());
    }

    private static Run demo(String javaHome, String... options) throws Exception {
        assertThat(Paths.get(javaHome, "bin", "java")).as("java of " + javaHome).exists();
        assertThat(DEMO).as("the demo jar (mvn -B package builds it)").exists();
        List<String> command = new ArrayList<>();
        command.add(Paths.get(javaHome, "bin", "java").toString());
        command.addAll(Arrays.asList(options));
        command.add("-jar");
        command.add(ROOT.relativize(DEMO).toString());   // as in the README: relative to the repository root
        Path out = Files.createTempFile("demo", ".out");
        Path err = Files.createTempFile("demo", ".err");
        Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the demo did not finish: " + command);
        }
        Run run = new Run(process.exitValue(), read(out), read(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    private static String read(Path file) throws Exception {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace("\r", "");
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }
}
