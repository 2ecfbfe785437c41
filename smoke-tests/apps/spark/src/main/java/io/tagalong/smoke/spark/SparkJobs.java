package io.tagalong.smoke.spark;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import io.tagalong.StorageHeaders;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A shared Spark application: two users' jobs started at the same time from two driver threads, each in its own
 * context, then one job with none. Each job writes a small Parquet table through S3A.
 *
 * <ul>
 *   <li>{@code s3a://BUCKET/alice}: inside {@code StorageHeaders.with("X-Request-Id", "r-alice")}, job group
 *       {@code group-alice}, job tag {@code tag-alice};</li>
 *   <li>{@code s3a://BUCKET/bob}: inside OpenTelemetry baggage {@code user=bob} (the application's API, no OpenTelemetry
 *       agent), job group {@code group-bob};</li>
 *   <li>{@code s3a://BUCKET/after}: after both, on the main thread, with no context of its own.</li>
 * </ul>
 * Arguments: S3 endpoint (http://host:port), bucket, access key, secret key. The master comes from spark-submit.
 */
public final class SparkJobs {
    private SparkJobs() {}

    public static void main(String[] args) throws Exception {
        String endpoint = args[0], bucket = args[1];
        SparkSession spark = SparkSession.builder().appName("tagalong-spark-smoke")
                .config("spark.hadoop.fs.s3a.endpoint", endpoint)
                .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
                .config("spark.hadoop.fs.s3a.path.style.access", "true")
                .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
                .config("spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
                .config("spark.hadoop.fs.s3a.access.key", args[2])
                .config("spark.hadoop.fs.s3a.secret.key", args[3])
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        SparkContext sc = spark.sparkContext();
        String base = "s3a://" + bucket + "/";

        Thread alice = new Thread(() -> {
            sc.setJobGroup("group-alice", "alice's job", false);
            sc.addJobTag("tag-alice");
            try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Request-Id", "r-alice")) {
                write(spark, base + "alice");
            }
        }, "alice");
        Thread bob = new Thread(() -> {
            sc.setJobGroup("group-bob", "bob's job", false);
            try (Scope ignored = Baggage.builder().put("user", "bob").build().makeCurrent()) {
                write(spark, base + "bob");
            }
        }, "bob");
        long start = System.nanoTime();
        alice.start();
        bob.start();
        alice.join();
        bob.join();
        write(spark, base + "after");
        System.out.println("spark jobs done on " + sc.master() + ", " + sc.getExecutorMemoryStatus().size() + " block managers, in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        spark.stop();
    }

    /** A small table in two partitions, through a shuffle, so the job has a map stage and a result stage. */
    private static void write(SparkSession spark, String path) {
        spark.range(0, 200, 1, 2).selectExpr("id % 10 as k", "id").groupBy("k").count()
                .write().mode("overwrite").parquet(path);
    }
}
