package io.tagalong.smoke.flink;

import io.tagalong.StorageHeaders;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.plugin.PluginUtils;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink job on a local MiniCluster that reads and writes {@code s3://BUCKET/...} through the S3 file system plugin
 * found in {@code $FLINK_PLUGINS_DIR} (flink-s3-fs-hadoop or flink-s3-fs-presto, each in Flink's plugin class loader;
 * no AWS class is on this program's class path). As Flink's own entry points do (CliFrontend, the cluster and
 * TaskManager entry points), the file systems are initialised with the plugin manager before anything else.
 *
 * <ol>
 *   <li>main thread: writes two input files with Flink's FileSystem API;</li>
 *   <li>the job, submitted inside {@code StorageHeaders.with("X-Submitted-By", "main")}: a FileSource lists
 *       {@code in/} (its enumerator runs in the JobManager) and reads it (in the tasks), and upper-cases each line;
 *       <ul>
 *         <li>mode {@code sink} (flink-s3-fs-hadoop), batch: a FileSink writes {@code out/} (part files as multipart
 *             uploads from the tasks, committed at the end of input), which the main thread lists and reads back;</li>
 *         <li>mode {@code checkpoints} (flink-s3-fs-presto, which has no recoverable writer for a FileSink):
 *             streaming with checkpoints every 200 ms to {@code checkpoints/}, the lines printed; the source watches
 *             {@code in/} and the job is cancelled once a checkpoint is complete (the checkpoint is kept).</li>
 *       </ul></li>
 * </ol>
 * Arguments: S3 endpoint (http://host:port), bucket, access key, secret key, mode, and optionally the REST port of a
 * standalone cluster to submit the job to instead (its JobManager and TaskManager JVMs read the same S3 keys from their
 * config.yaml and load the plugin from their own {@code FLINK_PLUGINS_DIR}).
 */
public final class FlinkJob {
    private FlinkJob() {}

    public static void main(String[] args) throws Exception {
        String endpoint = args[0], bucket = args[1];
        Configuration conf = new Configuration();
        // The keys a Flink user writes in config.yaml; the plugin hands s3.* to S3A (or Presto) as its own.
        conf.setString("s3.endpoint", endpoint);
        conf.setString("s3.endpoint.region", "us-east-1");
        conf.setString("s3.path.style.access", "true");
        conf.setString("s3.access-key", args[2]);
        conf.setString("s3.secret-key", args[3]);
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("taskmanager.host", "127.0.0.1");
        FileSystem.initialize(conf, PluginUtils.createPluginManagerFromRootFolder(conf));

        System.out.println("AWS SDK on the program's class path: " + visible("com.amazonaws.services.s3.AmazonS3Client"));
        String base = "s3://" + bucket + "/";
        FileSystem fs = new Path(base).getFileSystem();
        System.out.println("file system: " + fs.getClass().getName());
        write(fs, new Path(base + "in/a.txt"), "alpha\nbeta\n");
        write(fs, new Path(base + "in/b.txt"), "gamma\ndelta\n");

        boolean checkpoints = args[4].equals("checkpoints");
        if (checkpoints) {
            conf.setString("execution.checkpointing.dir", base + "checkpoints");
            // The job is cancelled once a checkpoint is complete (below): keep it.
            conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        }
        // With a REST port: submitted to that standalone cluster, whose JobManager and TaskManager have this class path.
        StreamExecutionEnvironment env = args.length > 5
                ? StreamExecutionEnvironment.createRemoteEnvironment("127.0.0.1", Integer.parseInt(args[5]), conf)
                : StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        FileSource.FileSourceBuilder<String> files = FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(base + "in"));
        // Checkpoints: the source keeps watching in/, so the job runs until a checkpoint is complete (a bounded job
        // may finish before the first one, and then there is nothing to check).
        FileSource<String> source = (checkpoints ? files.monitorContinuously(Duration.ofSeconds(1)) : files).build();
        DataStream<String> upper = env.fromSource(source, WatermarkStrategy.noWatermarks(), "s3 lines")
                .map(line -> line.toUpperCase()).returns(String.class);
        if (checkpoints) {
            env.enableCheckpointing(200); // the tasks wait for a final checkpoint before they finish
            upper.print();
        } else {
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            upper.sinkTo(FileSink.forRowFormat(new Path(base + "out"), new SimpleStringEncoder<String>()).build());
        }
        long start = System.nanoTime();
        JobClient running = null;
        try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Submitted-By", "main")) {
            if (checkpoints) running = env.executeAsync("tagalong-flink-smoke");
            else env.execute("tagalong-flink-smoke");
        }
        if (running != null) {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!hasCheckpoint(fs, new Path(base + "checkpoints")) && System.nanoTime() < deadline) Thread.sleep(100);
            running.cancel().get();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        List<String> lines = new ArrayList<>();
        for (FileStatus file : listFiles(fs, new Path(base + (checkpoints ? "checkpoints" : "out")))) {
            if (checkpoints) {
                lines.add(file.getPath().getName());
                continue;
            }
            try (FSDataInputStream in = fs.open(file.getPath());
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
            }
        }
        Collections.sort(lines);
        System.out.println((checkpoints ? "checkpoint files: " : "read back: ") + lines);
        System.out.println("flink job done in " + millis + " ms");
        awaitLocalClusterClosed();
        // As Flink's CliFrontend does: S3A's thread pools are not daemon threads and idle for 60 s before they end.
        System.exit(0);
    }

    /**
     * A local job's MiniCluster closes asynchronously once the job ends. Exiting while it closes lets pekko's JVM
     * shutdown hook run while Flink closes pekko's class loader, and the hook fails with NoClassDefFoundError
     * (seen without the agent too): wait, at most 30 s, until the cluster's pekko threads have ended.
     */
    private static void awaitLocalClusterClosed() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline
                && Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().contains("-pekko."))) {
            Thread.sleep(20);
        }
    }

    private static void write(FileSystem fs, Path path, String text) throws Exception {
        try (OutputStream out = fs.create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<FileStatus> listFiles(FileSystem fs, Path dir) throws Exception {
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus status : fs.listStatus(dir)) {
            if (status.isDir()) files.addAll(listFiles(fs, status.getPath()));
            else files.add(status);
        }
        return files;
    }

    private static boolean hasCheckpoint(FileSystem fs, Path dir) throws Exception {
        if (!fs.exists(dir)) return false;
        for (FileStatus file : listFiles(fs, dir)) {
            if (file.getPath().getName().equals("_metadata")) return true;
        }
        return false;
    }

    private static boolean visible(String className) {
        try {
            Class.forName(className, false, FlinkJob.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
