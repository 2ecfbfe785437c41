package io.tagalong.smoke;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A child JVM that is running; its output is collected as it comes. */
public final class RunningChild {
    private final Process process;
    private final String command;
    private final long timeoutSeconds;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private final ConfiguredValues configuredValues;

    RunningChild(Process process, String command, long timeoutSeconds, ConfiguredValues configuredValues) {
        this.configuredValues = configuredValues;
        this.process = process;
        this.command = command;
        this.timeoutSeconds = timeoutSeconds;
        this.stdoutReader = collect(process.getInputStream(), stdout);
        this.stderrReader = collect(process.getErrorStream(), stderr);
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until stdout has a line containing {@code text}; fails if the child ends or the timeout passes first. */
    public void awaitStdout(String text) {
        await(stdout, stdoutReader, "stdout", text);
    }

    /** Waits until stderr (the agent's lines) has {@code text}; fails if the child ends or the timeout passes first. */
    public void awaitStderr(String text) {
        await(stderr, stderrReader, "stderr", text);
    }

    private void await(StringBuffer output, Thread reader, String stream, String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (output) {
            while (output.indexOf(text) < 0) {
                long left = deadline - System.nanoTime();
                if (!process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("child ended before printing '" + text + "' on " + stream + "\n" + describe());
                }
                if (left <= 0) {
                    process.destroyForcibly();
                    throw new AssertionError("child did not print '" + text + "' on " + stream + " within " + timeoutSeconds + " s\n" + describe());
                }
                try {
                    output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /**
     * Loads the agent jar into this running JVM through the Attach API (its agentmain), with no options:
     * configuration comes from the -D properties the child started with. Skipped under
     * {@code tagalong.smoke.withoutAgent=true}, like the -javaagent flag.
     */
    public void attachAgent() throws Exception {
        if (Boolean.getBoolean("tagalong.smoke.withoutAgent")) {
            return;
        }
        VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
        try {
            vm.loadAgent(ChildJvm.agentJar().toString(), "");
        } finally {
            vm.detach();
        }
    }

    public void writeLine(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the end (the timeout kills the child and fails) and returns its exit code and output. */
    public ChildResult awaitExit() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child did not end within " + timeoutSeconds + " s\n" + describe());
            }
            stdoutReader.join();
            stderrReader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildResult result = new ChildResult(command, process.exitValue(), stdout.toString(), stderr.toString());
        configuredValues.assertNoneIn(result);
        return result;
    }

    /** Ends a child that serves until it is stopped (a Flink JobManager, a TaskManager) and returns its output. */
    public ChildResult stop() {
        try {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
            stdoutReader.join();
            stderrReader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        ChildResult result = new ChildResult(command, process.exitValue(), stdout.toString(), stderr.toString());
        configuredValues.assertNoneIn(result);
        return result;
    }

    private String describe() {
        return "command: " + command + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }

    private static Thread collect(InputStream stream, StringBuffer into) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (into) {
                        into.append(line).append('\n');
                        into.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the child ended; what was read is kept
            } finally {
                synchronized (into) {
                    into.notifyAll();
                }
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
