package io.tagalong.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real child JVM running one of the test programs, with or without {@code -javaagent:tagalong-agent.jar}.
 * Its environment is a copy of ours without any TAGALONG_*, BAGGAGE or JVM-options variable, so only
 * what a test sets reaches the agent.
 */
public final class ChildJvm {
    static final long TIMEOUT_SECONDS = 60;

    private final Jdk jdk;
    private final boolean agent;
    private Path jar;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> loopbackHosts = new ArrayList<>();
    private String classpath;
    private long timeoutSeconds = TIMEOUT_SECONDS;

    private ChildJvm(Jdk jdk, boolean agent) {
        this.jdk = jdk;
        this.agent = agent;
    }

    /**
     * A child with the agent attached at start. Setting the test JVM's system property
     * {@code tagalong.smoke.withoutAgent=true} leaves it off everywhere: every test that expects a header
     * must then fail (the way to prove they can).
     */
    public static ChildJvm withAgent(Jdk jdk) {
        return new ChildJvm(jdk, !Boolean.getBoolean("tagalong.smoke.withoutAgent"));
    }

    /** A control child: the same program, no agent. */
    public static ChildJvm withoutAgent(Jdk jdk) {
        return new ChildJvm(jdk, false);
    }

    /** Attaches this copy of the agent jar instead of the built one (e.g. renamed, as users do). */
    public ChildJvm agentJar(Path copy) {
        jar = copy;
        return this;
    }

    public ChildJvm property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public ChildJvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public ChildJvm jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Resolves these names to 127.0.0.1 in the child (jdk.net.hosts.file), so their Host header reaches WireMock. */
    public ChildJvm hostsOnLoopback(String... hosts) {
        loopbackHosts.addAll(Arrays.asList(hosts));
        return this;
    }

    /** Runs the programs of an app module ({@code smoke-tests/apps/NAME}: its classes and target/lib/*) instead. */
    public ChildJvm app(String name) {
        Path app = Paths.get(requiredProperty("tagalong.smoke.apps.dir"), name, "target").toAbsolutePath().normalize();
        if (!Files.isDirectory(app.resolve("lib"))) {
            throw new AssertionError("app " + app + " is not built: mvn -B -pl smoke-tests -am verify builds it");
        }
        classpath = app.resolve("classes") + java.io.File.pathSeparator + app.resolve("lib") + java.io.File.separator + "*";
        return this;
    }

    /** Runs the program with this class path instead (an app module's classes with another lib directory). */
    public ChildJvm classPath(String path) {
        classpath = path;
        return this;
    }

    /** A longer wait than the default for a program that starts an engine (a Flink MiniCluster). */
    public ChildJvm timeout(long seconds) {
        timeoutSeconds = seconds;
        return this;
    }

    public Jdk jdk() {
        return jdk;
    }

    /** Runs the program to its end (or the timeout, which fails the test). */
    public ChildResult run(Class<?> program, String... args) {
        return start(program, args).awaitExit();
    }

    /** Runs a program of an {@link #app} by its class name. */
    public ChildResult run(String mainClass, String... args) {
        return start(mainClass, args).awaitExit();
    }

    /** Starts the program and returns while it runs. */
    public RunningChild start(Class<?> program, String... args) {
        return start(program.getName(), args);
    }

    /** Starts a program of {@link #app} or {@link #classPath} by its class name and returns while it runs. */
    public RunningChild start(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        if (agent) {
            command.add("-javaagent:" + (jar != null ? jar : agentJar()));
        }
        command.addAll(jvmOptions);
        if (!loopbackHosts.isEmpty()) {
            command.add("-Djdk.net.hosts.file=" + hostsFile());
        }
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(classpath != null ? classpath : requiredProperty("tagalong.smoke.programs.classpath"));
        command.add(mainClass);
        command.addAll(Arrays.asList(args));

        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("TAGALONG_") || name.equals("BAGGAGE")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        env.putAll(environment);
        try {
            ConfiguredValues values = ConfiguredValues.of(properties, environment, Arrays.asList(args),
                    mainClass.equals(ConfiguredValues.AGENT_MAIN));
            return new RunningChild(builder.start(), String.join(" ", command), timeoutSeconds, values);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** The agent jar built by module agent; a clear failure when it has not been built. */
    public static Path agentJar() {
        Path jar = Paths.get(requiredProperty("tagalong.agent.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("agent jar not found at " + jar
                    + ": build it first, e.g. mvn -B -pl smoke-tests -am verify");
        }
        return jar;
    }

    private Path hostsFile() {
        try {
            Path dir = Files.createDirectories(Paths.get(requiredProperty("tagalong.smoke.work.dir")));
            Path file = Files.createTempFile(dir, "hosts", ".txt");
            StringBuilder lines = new StringBuilder();
            loopbackHosts.forEach(host -> lines.append("127.0.0.1 ").append(host).append('\n'));
            return Files.writeString(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("system property " + key + " is not set: run through Maven (failsafe sets it)");
        }
        return value;
    }
}
