package io.tagalong.benchmarks;

import io.tagalong.StorageHeaders;
import io.tagalong.bootstrap.Config;
import io.tagalong.bootstrap.SparkJobs;
import io.tagalong.bootstrap.Tagalong;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the spark instrumentation adds to a Spark task and to a job submission: the work of the hooks
 * ({@code SparkHooks} only adds a getLocalProperty call and a try/catch around these).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SparkTaskBenchmark
 * </pre>
 * {@code taskWithoutContext}: a task of a job that carries nothing (set + unset of the TaskContext).
 * {@code taskWithContext}: a task of a job that carries four headers (decoded once per job, then a scope per task).
 * {@code jobSubmitted}: once per job on the driver, in a scope, with three mapped Spark properties.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SparkTaskBenchmark {
    private String encoded;
    private Properties jobProperties;

    @Setup
    public void setUp() {
        Map<String, String> props = new HashMap<>();
        props.put("tagalong.headers", "X-Team=ml");
        props.put("tagalong.spark.map", "spark.jobGroup.id=X-Job-Group,spark.job.tags=X-Job-Tags,spark.app.name=X-Spark-App");
        Tagalong.start(Config.load(props, new HashMap<String, String>()));
        jobProperties = new Properties();
        jobProperties.setProperty("spark.jobGroup.id", "group-alice");
        jobProperties.setProperty("spark.job.tags", "tag-alice,spark-session-5524ca74-execution-root-id-0");
        jobProperties.setProperty("spark.job.description", "alice's job");
        jobProperties.setProperty("spark.sql.execution.id", "3");
        try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Request-Id", "r-alice")) {
            encoded = SparkJobs.submitted(jobProperties, "app-20261128-0001", "etl", "alice").getProperty(SparkJobs.PROPERTY);
        }
        if (encoded == null) throw new IllegalStateException("the job carries nothing");
    }

    @Benchmark
    public void taskWithoutContext() {
        SparkJobs.taskStarted(null);
        SparkJobs.taskEnded();
    }

    @Benchmark
    public void taskWithContext() {
        SparkJobs.taskStarted(encoded);
        SparkJobs.taskEnded();
    }

    @Benchmark
    public Properties jobSubmitted() {
        try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Request-Id", "r-alice")) {
            return SparkJobs.submitted(jobProperties, "app-20261128-0001", "etl", "alice");
        }
    }
}
