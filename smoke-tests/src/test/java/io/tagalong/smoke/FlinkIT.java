package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagalong.smoke.S3ProxyServer.Received;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Apache Flink 2.3 (apps/flink, {@code FlinkJob}: a job on a local MiniCluster in the child JVM) reading and writing
 * {@code s3://} through Flink's S3 file system plugins, each loaded by Flink's plugin class loader from
 * {@code $FLINK_PLUGINS_DIR/<plugin>/} as users install them (no AWS class on the program's class path), against
 * S3Proxy with SigV4 checked, behind the recorder. Headers from {@code tagalong.headers} and from the {@code BAGGAGE}
 * environment variable (what a Flink user sets per JobManager and TaskManager process) must be on every request
 * exactly once and signed, including those the JobManager's split enumerator and the tasks' readers, writers and
 * committers make. flink-s3-fs-hadoop (S3A 3.3.4) stops on JDK 25 in {@code UserGroupInformation} with
 * {@code getSubject is not supported}, with or without the agent: it runs on JDK 17; flink-s3-fs-presto runs on
 * JDK 25 (it has no recoverable writer, so it serves the job's source and its checkpoints, as Flink recommends).
 */
class FlinkIT {
    @RegisterExtension
    static final S3ProxyServer S3 = new S3ProxyServer();

    static final String BUCKET = "flink-bucket";
    static final String JOB = "io.tagalong.smoke.flink.FlinkJob";
    /** A MiniCluster job on a loaded 2-core machine (80 s seen beside three other builds; ~15 s alone). */
    static final long TIMEOUT_SECONDS = 300;

    @Test
    void hadoopPluginEveryRequestOfTheJobCarriesTheHeadersOnceAndSigned() {
        ChildResult run = job(ChildJvm.withAgent(jdk(17)), "plugins", "sink");
        assertThat(run.stdout()).as("%s", run).contains("read back: [ALPHA, BETA, DELTA, GAMMA]");

        List<Received> all = assertEveryRequestCarriesTheHeaders(run);
        // The tasks' requests: the readers' GETs of the input, the sink's multipart uploads and their commits.
        List<Received> tasks = all.stream().filter(task()).toList();
        assertThat(tasks).extracting(Received::path).contains("/" + BUCKET + "/in/a.txt", "/" + BUCKET + "/in/b.txt");
        assertThat(tasks).filteredOn(r -> r.target().contains("partNumber=")).isNotEmpty();
        List<Received> commits = tasks.stream().filter(r -> r.method().equals("POST") && r.target().contains("uploadId=")).toList();
        assertThat(commits).as("each part file's completed multipart upload").hasSizeGreaterThanOrEqualTo(1);
        for (Received commit : commits) {
            // The sink's initiate request carried x-amz-meta-team, signed: the store keeps it with the part file.
            assertThat(S3.storedMetadata(BUCKET, commit.path().substring(BUCKET.length() + 2))).as("%s", commit)
                    .isEqualTo(Map.of("team", "ml"));
        }
        assertThat(S3.storedMetadata(BUCKET, "in/a.txt")).isEqualTo(Map.of("team", "ml"));
        // A StorageHeaders scope around env.execute() stays on the submitting side: task threads are new threads.
        assertThat(tasks).allSatisfy(r -> assertThat(r.all("X-Submitted-By")).as("%s", r).isEmpty());
        report("flink-s3-fs-hadoop", run, all, tasks);
    }

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
        assertThat(tasks).allSatisfy(r -> assertThat(r.all("X-Submitted-By")).as("%s", r).isEmpty());
        report("flink-s3-fs-presto", run, all, tasks);
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
        return child.app("flink").timeout(TIMEOUT_SECONDS)
                .env("FLINK_PLUGINS_DIR", AppClassPath.target("flink").resolve(pluginsDir).toString())
                .env("BAGGAGE", "job=nightly")
                .property("tagalong.baggage.map", "job=X-Job-Id")
                .property("tagalong.headers", "X-Team=ml,x-amz-meta-team=ml")
                .property("aws.java.v1.disableDeprecationAnnouncement", "true")
                .run(JOB, S3.endpoint(), BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, mode).assertCleanRun();
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
