package io.tagalong.benchmarks;

import io.tagalong.bootstrap.Config;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.Tagalong;
import io.tagalong.bootstrap.Targets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the audit adds to a storage request with three static headers (PipelineBenchmark.threeStaticHeaders):
 * three rules, one a glob, that the request passes, with the audit file off and on; a line for every request
 * ({@code tagalong.audit.all}); a rule missed on every request (counted, and a line). A line is only queued on the
 * request's thread (the monitor thread writes it); when 10,000 wait, it is counted as dropped instead, which is
 * what a benchmark thread outrunning the disk measures.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar AuditBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AuditBenchmark {
    /** off: no rules, no file; pass: three rules passed; pass+file: and a file; all+file: a line each; miss: one missed. */
    @Param({"off", "pass", "pass+file", "all+file", "miss", "miss+file"})
    public String audit;

    private Pipeline pipeline;
    private Path dir;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Map<String, String> props = new HashMap<>();
        props.put("tagalong.headers", "X-Team=ml,X-Cost-Center=42,X-My-Header-Job=nightly");
        if (!audit.equals("off")) {
            props.put("tagalong.required", audit.startsWith("miss") ? "X-Team,X-Audit,X-My-Header-*" : "X-Team,X-Cost-Center,X-My-Header-*");
        }
        if (audit.endsWith("+file")) {
            dir = Files.createTempDirectory("tagalong-audit-bench");
            props.put("tagalong.audit.file", dir.resolve("audit.jsonl").toString());
        }
        if (audit.startsWith("all")) props.put("tagalong.audit.all", "true");
        Tagalong.start(Config.load(props, new HashMap<String, String>()));
        pipeline = Tagalong.pipeline();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (dir == null) return;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public PipelineBenchmark.Request storageRequest() {
        PipelineBenchmark.Request r = new PipelineBenchmark.Request();
        if (pipeline.isStorageRequest(Targets.Client.HTTP, "https", "bucket.s3.us-east-1.amazonaws.com", -1, "/key")) {
            pipeline.apply(r, pipeline.capture());
        }
        return r;
    }
}
