package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagalong.smoke.S3ProxyServer.Received;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Apache Flink 2.3 (apps/flink, {@code FlinkJob}) reading and writing {@code s3://} through Flink's S3 file system
 * plugins, each loaded by Flink's plugin class loader from {@code $FLINK_PLUGINS_DIR/<plugin>/} as users install them
 * (no AWS class on any class path), against S3Proxy with SigV4 checked, behind the recorder. Headers from
 * {@code tagalong.headers} and from the {@code BAGGAGE} environment variable (what a Flink user sets per JobManager and
 * TaskManager process) must be on every request exactly once and signed: the JobManager's (the FileSource's split
 * enumerator, checkpoint metadata) and the tasks' (readers, the FileSink's multipart uploads and commits).
 * flink-s3-fs-hadoop (S3A 3.3.4) stops on JDK 25 in {@code UserGroupInformation} with
 * {@code getSubject is not supported}, with or without the agent: it runs on JDK 17, on a standalone cluster;
 * flink-s3-fs-presto runs on JDK 25, on a MiniCluster in one JVM (it has no recoverable writer, so it serves the job's
 * source and its checkpoints, as Flink recommends).
 */
class FlinkIT {
    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    static final String BUCKET = "flink-bucket";
    static final String JOB = "io.tagalong.smoke.flink.FlinkJob";
    /** Generous: each JVM took 13-40 s here beside three other builds (load 10-16 on 2 cores). */
    static final long TIMEOUT_SECONDS = 300;

    @Test
    void prestoPluginOnJdk25ReadsAndCheckpointsWithTheHeaders() {
        ChildResult run = job(ChildJvm.withAgent(jdk(25)), "plugins-presto", "checkpoints");
        assertThat(run.stdout()).as("%s", run).contains("ALPHA", "BETA", "GAMMA", "DELTA").contains("checkpoint files: [")
                .contains("_metadata");

        List<Received> all = assertEveryRequestCarriesTheHeaders(run);
        List<Received> tasks = all.stream().filter(task()).toList();
        assertThat(tasks).extracting(Received::path).contains("/" + BUCKET + "/in/a.txt", "/" + BUCKET + "/in/b.txt");
        assertThat(all).as("a checkpoint's metadata written by the JobManager")
                .anyMatch(r -> r.method().equals("PUT") && r.path().startsWith("/" + BUCKET + "/checkpoints/") && r.path().endsWith("/_metadata"));
        // In one JVM a scope around env.execute() reaches part of the JobManager's work (the enumerator), never a task.
        assertThat(tasks).allSatisfy(r -> assertThat(r.all("X-Submitted-By")).as("%s", r).isEmpty());
        report("flink-s3-fs-presto", run, all, tasks);
    }

    /**
     * A standalone cluster, one JVM each as Flink's scripts start them: the JobManager
     * ({@code StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code TaskManagerRunner}), each with the agent
     * and its own {@code X-Jvm}, each reading config.yaml from {@code --configDir} and loading the plugin from its
     * {@code FLINK_PLUGINS_DIR}; the client submits the job over REST. The JobManager lists the input (the
     * FileSource's enumerator), the TaskManager reads and writes; each request carries its own JVM's headers.
     */
    @Test
    void hadoopPluginOnAStandaloneClusterEveryRequestCarriesItsJvmsHeadersOnceAndSigned() throws Exception {
        S3.createBucket(BUCKET);
        int rest = freePort();
        Path conf = Files.createDirectories(Path.of(System.getProperty("tagalong.smoke.work.dir"), "flink-conf"));
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager.rpc.address: 127.0.0.1", "jobmanager.rpc.port: " + freePort(), "jobmanager.bind-host: 127.0.0.1",
                "rest.address: 127.0.0.1", "rest.bind-address: 127.0.0.1", "rest.port: " + rest,
                "taskmanager.host: 127.0.0.1", "taskmanager.bind-host: 127.0.0.1", "taskmanager.numberOfTaskSlots: 2",
                // The TaskManager's memory as Flink's taskmanager.sh computes and passes it, every component set.
                "taskmanager.cpu.cores: 2", "taskmanager.memory.task.heap.size: 256m", "taskmanager.memory.task.off-heap.size: 0m",
                "taskmanager.memory.managed.size: 64m", "taskmanager.memory.network.min: 64m", "taskmanager.memory.network.max: 64m",
                "taskmanager.memory.framework.heap.size: 128m", "taskmanager.memory.framework.off-heap.size: 128m",
                "taskmanager.memory.jvm-metaspace.size: 256m", "taskmanager.memory.jvm-overhead.min: 192m",
                "taskmanager.memory.jvm-overhead.max: 192m",
                "s3.endpoint: " + S3.endpoint(), "s3.endpoint.region: us-east-1", "s3.path.style.access: true",
                "s3.access-key: " + S3ProxyServer.ACCESS_KEY, "s3.secret-key: " + S3ProxyServer.SECRET_KEY, ""));
        RunningChild jobManager = flink(ChildJvm.withAgent(jdk(17)), "plugins", "jobmanager")
                .start("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "--configDir", conf.toString());
        RunningChild taskManager = flink(ChildJvm.withAgent(jdk(17)), "plugins", "taskmanager")
                .start("org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "--configDir", conf.toString());
        ChildResult run = null;
        try {
            run = flink(ChildJvm.withAgent(jdk(17)), "plugins", "client")
                    .run(JOB, S3.endpoint(), BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, "sink", Integer.toString(rest))
                    .assertCleanRun();
        } finally {
            ChildResult jm = jobManager.stop(), tm = taskManager.stop();
            if (run == null) System.out.printf("FlinkIT cluster:%n--- JobManager%n%s%n--- TaskManager%n%s%n", jm, tm);
            assertThat(jm.tagalongLines()).as("%s", jm).isEmpty();
            assertThat(tm.tagalongLines()).as("%s", tm).isEmpty();
        }
        assertThat(run.stdout()).as("%s", run).contains("read back: [ALPHA, BETA, DELTA, GAMMA]");
        List<Received> all = assertEveryRequestCarriesTheHeaders(run);
        // The tasks' requests: the readers' GETs of the input, the sink's multipart uploads and their commits.
        List<Received> tasks = all.stream().filter(task()).toList();
        assertThat(tasks).extracting(Received::path).contains("/" + BUCKET + "/in/a.txt", "/" + BUCKET + "/in/b.txt");
        assertThat(tasks).filteredOn(r -> r.target().contains("partNumber=")).isNotEmpty();
        assertThat(tasks).allSatisfy(r -> assertThat(r.all("X-Jvm")).as("%s", r).containsExactly("taskmanager"));
        List<Received> commits = tasks.stream().filter(r -> r.method().equals("POST") && r.target().contains("uploadId=")).toList();
        assertThat(commits).as("each part file's completed multipart upload").isNotEmpty();
        for (Received commit : commits) {
            // The sink's initiate request carried x-amz-meta-team, signed: the store keeps it with the part file.
            assertThat(S3.storedMetadata(BUCKET, commit.path().substring(BUCKET.length() + 2))).as("%s", commit)
                    .isEqualTo(Map.of("team", "ml"));
        }
        assertThat(S3.storedMetadata(BUCKET, "in/a.txt")).isEqualTo(Map.of("team", "ml"));
        // The client's StorageHeaders scope around env.execute() reaches neither the JobManager nor the TaskManager.
        assertThat(all).allSatisfy(r -> assertThat(r.all("X-Submitted-By")).as("%s", r).isEmpty());
        assertThat(all).filteredOn(r -> r.target().contains("prefix=in%2F&")).as("the enumerator's listing").isNotEmpty()
                .allSatisfy(r -> assertThat(r.all("X-Jvm")).as("%s", r).containsExactly("jobmanager"));
        assertThat(all).filteredOn(r -> r.method().equals("PUT") && r.path().startsWith("/" + BUCKET + "/in/")).hasSize(2)
                .allSatisfy(r -> assertThat(r.all("X-Jvm")).as("%s", r).containsExactly("client"));
        report("flink-s3-fs-hadoop, standalone cluster", run, all, tasks);
    }

    /** The control: the same job without the agent sends none of the headers and the store keeps no metadata. */
    @Test
    void withoutTheAgentTheSameJobCarriesNone() {
        ChildResult run = job(ChildJvm.withoutAgent(jdk(17)), "plugins", "sink");
        assertThat(run.stdout()).as("%s", run).contains("read back: [ALPHA, BETA, DELTA, GAMMA]");
        assertThat(S3.received()).hasSizeGreaterThan(10).allSatisfy(r -> {
            assertThat(r.all("X-Team")).as("%s", r).isEmpty();
            assertThat(r.all("x-amz-meta-team")).as("%s", r).isEmpty();
            assertThat(r.all("X-Job-Id")).as("%s", r).isEmpty();
        });
        assertThat(S3.storedMetadata(BUCKET, "in/a.txt")).isEmpty();
    }

    /** Every request S3Proxy accepted: each header once, each signed (S3Proxy answers 403 to a bad signature). */
    private static List<Received> assertEveryRequestCarriesTheHeaders(ChildResult run) {
        assertThat(run.stdout()).as("%s", run).contains("AWS SDK on the program's class path: false");
        assertThat(run.tagalongLines()).as("%s", run).isEmpty();
        List<Received> all = S3.received();
        assertThat(all).as("%s", run).hasSizeGreaterThan(10).allSatisfy(r -> {
            assertThat(r.all("X-Team")).as("%s", r).containsExactly("ml");
            assertThat(r.all("x-amz-meta-team")).as("%s", r).containsExactly("ml");
            assertThat(r.all("X-Job-Id")).as("%s", r).containsExactly("nightly");
            assertThat(r.signedHeaders()).as("%s", r).contains("x-team", "x-amz-meta-team", "x-job-id");
        });
        return all;
    }

    /** Requests a task makes: reading an input file, or anything of the sink's multipart uploads. */
    private static Predicate<Received> task() {
        return r -> (r.method().equals("GET") && r.path().startsWith("/" + BUCKET + "/in/"))
                || r.target().contains("uploads") || r.target().contains("uploadId=");
    }

    private static ChildResult job(ChildJvm child, String pluginsDir, String mode) {
        S3.createBucket(BUCKET);
        return flink(child, pluginsDir, "minicluster")
                .run(JOB, S3.endpoint(), BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, mode).assertCleanRun();
    }

    /** A JVM of Flink's as a user configures it: the plugins directory, BAGGAGE, and the agent's keys. */
    private static ChildJvm flink(ChildJvm child, String pluginsDir, String jvm) {
        return child.app("flink").timeout(TIMEOUT_SECONDS)
                .env("FLINK_PLUGINS_DIR", AppClassPath.target("flink").resolve(pluginsDir).toString())
                .env("BAGGAGE", "job=nightly")
                .property("tagalong.baggage.map", "job=X-Job-Id")
                .property("tagalong.headers", "X-Team=ml,x-amz-meta-team=ml,X-Jvm=" + jvm)
                .property("aws.java.v1.disableDeprecationAnnouncement", "true");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Jdk jdk(int feature) {
        return Jdk.all().filter(j -> j.feature() == feature).findFirst().orElseThrow();
    }

    private static void report(String plugin, ChildResult run, List<Received> all, List<Received> tasks) {
        System.out.printf("FlinkIT %s: %d requests, %d of them the tasks', %d in the submitting thread's scope; %s%n", plugin,
                all.size(), tasks.size(), all.stream().filter(r -> !r.all("X-Submitted-By").isEmpty()).count(),
                run.stdout().lines().filter(l -> l.startsWith("flink job done")).findFirst().orElse(""));
    }
}
