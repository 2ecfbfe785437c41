package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Apache Spark 4.0 (apps/spark, {@code SparkJobs}) writing Parquet through Hadoop S3A to S3Proxy (SigV4 checked),
 * started exactly as {@code bin/spark-submit} starts it: Spark's own launcher ({@code org.apache.spark.launcher.Main},
 * which spark-submit runs) builds the java command from the spark-submit arguments the README gives, and that
 * command is run. Two users' jobs run at the same time from two driver threads, alice's in a context-holder scope,
 * bob's in OpenTelemetry baggage; a third job follows with no context. Every request that a task makes (its path
 * is under the task attempt's directory) must carry its own job's headers and never the other's.
 */
class SparkIT {
    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    static final String BUCKET = "spark-bucket";
    static final String APP = "tagalong-spark-smoke";
    static final String JOB = "io.tagalong.smoke.spark.SparkJobs";
    /** Spark job properties and the application's name as headers; bob's baggage entry user as X-User. */
    static final String MAPS = "-Dtagalong.baggage.map=user=X-User"
            + " -Dtagalong.spark.map=spark.jobGroup.id=X-Job-Group,spark.job.tags=X-Job-Tags,spark.app.name=X-Spark-App";
    /** Spark starts slowly on a loaded 2-core machine (a local-cluster run took 200 s beside three other builds). */
    static final long TIMEOUT_SECONDS = 480;

    @Test
    void localModeCarriesEachJobsContextToItsTasksAndNoFurther() {
        ChildResult run = submit("local[2]", "--driver-java-options", agent() + " -Dtagalong.headers=X-Jvm=driver " + MAPS);

        assertJobsAttributed(run, "driver");
    }

    @Test
    void localClusterExecutorsInOtherJvmsGetTheJobsContext() {
        ChildResult run = submit("local-cluster[2,1,1024]",
                "--conf", "spark.driver.extraJavaOptions=" + agent() + " -Dtagalong.headers=X-Jvm=driver " + MAPS,
                "--conf", "spark.executor.extraJavaOptions=" + agent() + " -Dtagalong.headers=X-Jvm=executor " + MAPS);

        assertThat(run.stdout()).contains("3 block managers"); // the driver's and two executors'
        assertJobsAttributed(run, "executor");
    }

    @Test
    void controlWithTheSparkInstrumentationOffTasksCarryNoJobContext() {
        ChildResult run = submit("local[2]", "--driver-java-options", agent() + " -Dtagalong.headers=X-Jvm=driver " + MAPS
                + " -Dtagalong.instrumentation.spark.enabled=false");

        System.out.printf("SparkIT control: %s%n", run.stdout().lines().filter(l -> l.startsWith("spark jobs done")).findFirst().orElse(""));
        List<S3ProxyServer.Received> tasks = taskRequests("alice");
        tasks.addAll(taskRequests("bob"));
        assertThat(tasks).as("task requests\n%s", run).isNotEmpty().allSatisfy(r -> {
            assertThat(r.all("X-Request-Id")).as("%s", r).isEmpty();
            assertThat(r.all("X-User")).as("%s", r).isEmpty();
            assertThat(r.all("X-Job-Group")).as("%s", r).isEmpty();
        });
    }

    private static void assertJobsAttributed(ChildResult run, String taskJvm) {
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).as("%s", run).contains("spark jobs done");
        assertThat(run.tagalongLines()).as("%s", run).noneMatch(l -> l.contains("spark:") || l.contains("could not"));

        List<S3ProxyServer.Received> alice = taskRequests("alice");
        assertThat(alice).as("alice's task requests").isNotEmpty().allSatisfy(r -> {
            assertOnce(r, "X-Jvm", taskJvm);
            assertOnce(r, "X-Request-Id", "r-alice");
            assertOnce(r, "X-Job-Group", "group-alice");
            assertThat(r.all("X-Job-Tags")).as("%s", r).singleElement().asString().contains("tag-alice");
            assertOnce(r, "X-Spark-App", APP);
            assertThat(r.all("X-User")).as("%s", r).isEmpty();
        });
        List<S3ProxyServer.Received> bob = taskRequests("bob");
        assertThat(bob).as("bob's task requests").isNotEmpty().allSatisfy(r -> {
            assertOnce(r, "X-Jvm", taskJvm);
            assertOnce(r, "X-User", "bob");
            assertOnce(r, "X-Job-Group", "group-bob");
            assertOnce(r, "X-Spark-App", APP);
            assertThat(r.all("X-Request-Id")).as("%s", r).isEmpty();
            assertThat(r.all("X-Job-Tags").toString()).as("%s", r).doesNotContain("tag-alice");
        });
        // The job after them runs on the same executor threads: nothing of alice's or bob's is left there.
        List<S3ProxyServer.Received> after = S3.receivedUnder("/" + BUCKET + "/after");
        assertThat(taskRequests("after")).as("the last job's task requests").isNotEmpty();
        assertThat(after).allSatisfy(r -> {
            assertThat(r.all("X-Request-Id")).as("%s", r).isEmpty();
            assertThat(r.all("X-User")).as("%s", r).isEmpty();
            assertThat(r.all("X-Job-Group")).as("%s", r).isEmpty();
            assertThat(r.all("X-Job-Tags").toString()).as("%s", r).doesNotContain("tag-alice");
            assertThat(r.all("X-Jvm")).as("%s", r).hasSize(1);
        });
        System.out.printf("SparkIT %s: task requests alice %d, bob %d, after %d; all requests %d; %s%n", taskJvm,
                alice.size(), bob.size(), taskRequests("after").size(), S3.received().size(),
                run.stdout().lines().filter(l -> l.startsWith("spark jobs done")).findFirst().orElse(""));
    }

    private static void assertOnce(S3ProxyServer.Received r, String name, String value) {
        assertThat(r.all(name)).as("%s in %s", name, r).containsExactly(value);
    }

    /** Requests a task made: under its attempt's directory (the driver never touches one before it is renamed). */
    private static List<S3ProxyServer.Received> taskRequests(String table) {
        Predicate<S3ProxyServer.Received> task = r -> r.path().contains("/_temporary/0/_temporary/attempt_");
        return S3.receivedUnder("/" + BUCKET + "/" + table).stream().filter(task).collect(Collectors.toCollection(ArrayList::new));
    }

    private static String agent() {
        return Boolean.getBoolean("tagalong.smoke.withoutAgent") ? "" : "-javaagent:" + ChildJvm.agentJar();
    }

    /**
     * Runs {@code spark-submit --master MASTER ARGS --class SparkJobs app.jar endpoint bucket key secret} as
     * bin/spark-submit does: Spark's launcher prints the command (NUL-separated), which is then run.
     */
    private static ChildResult submit(String master, String... sparkSubmitArgs) {
        S3.createBucket(BUCKET);
        Path target = AppClassPath.target("spark");
        Path home = target.resolve("spark-home");
        try {
            if (!Files.exists(home.resolve("RELEASE"))) Files.createFile(home.resolve("RELEASE")); // a distribution's layout
            List<String> args = new ArrayList<>(List.of(java(), "-cp", home.resolve("jars") + "/*",
                    "org.apache.spark.launcher.Main", "org.apache.spark.deploy.SparkSubmit", "--master", master,
                    "--conf", "spark.log.level=WARN"));
            args.addAll(Arrays.asList(sparkSubmitArgs));
            args.addAll(List.of("--class", JOB, target.resolve("tagalong-smoke-app-spark-0.1.0-SNAPSHOT.jar").toString(),
                    S3.endpoint(), BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
            Process launcher = process(args, home).start();
            byte[] out = launcher.getInputStream().readAllBytes();
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS) && launcher.exitValue() == 0).as("Spark's launcher").isTrue();
            List<String> command = Arrays.stream(new String(out, StandardCharsets.UTF_8).split("\0")).map(String::strip)
                    .filter(s -> !s.isBlank()).collect(Collectors.toList());
            Map<String, String> properties = new HashMap<>();
            for (String arg : command) {
                int eq = arg.indexOf('=');
                if (arg.startsWith("-D") && eq > 2) properties.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
            ProcessBuilder child = process(command, home);
            ConfiguredValues values = ConfiguredValues.of(properties, child.environment(), List.of(), false);
            return new RunningChild(child.start(), String.join(" ", command), TIMEOUT_SECONDS, values).awaitExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static ProcessBuilder process(List<String> command, Path sparkHome) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("TAGALONG_") || name.startsWith("SPARK_") || name.equals("BAGGAGE")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1"); // the driver, Master, Workers and executors talk over loopback only
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
