package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** How a child JVM ended: exit code and everything it printed. */
public record ChildResult(String command, int exitCode, String stdout, String stderr) {

    /**
     * The program ran to its end, every request got its expected status (2xx unless told), and nothing in its output looks like a stack trace: the agent must never
     * make a request fail nor throw into the program (the test programs never print exception names).
     */
    public ChildResult assertCleanRun() {
        assertThat(exitCode).as("exit code (3: a request did not end with its expected status)\n%s", this).isZero();
        assertThat(stdout + stderr).as("a stack trace in the child's output\n%s", this)
                .doesNotContain("Exception").doesNotContain("\tat ");
        return this;
    }

    /** The agent's own log lines. */
    public List<String> tagalongLines() {
        return stderr.lines().filter(line -> line.startsWith("[tagalong] ")).toList();
    }

    @Override
    public String toString() {
        return "command: " + command + "\nexit code: " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
