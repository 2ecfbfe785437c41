package io.tagalong.benchmarks;

import io.tagalong.StorageHeaders;
import io.tagalong.bootstrap.Config;
import io.tagalong.bootstrap.ContextSource;
import io.tagalong.bootstrap.OutgoingRequest;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.Tagalong;
import io.tagalong.bootstrap.Targets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the pipeline costs per request, next to the hand-written limit: setting the same headers directly.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PipelineBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PipelineBenchmark {
    private Pipeline pipeline;
    final ThreadLocal<Map<String, String>> baggage = new ThreadLocal<>();

    /** A request as clients hold headers: a small list of name/value pairs. */
    static class Request extends OutgoingRequest {
        final List<String> headers = new ArrayList<>(16);

        Request() {
            super("PUT", "https", "bucket.s3.us-east-1.amazonaws.com", -1, "/key", null);
        }

        @Override
        public String header(String name) {
            for (int i = 0; i < headers.size(); i += 2) if (headers.get(i).equalsIgnoreCase(name)) return headers.get(i + 1);
            return null;
        }

        @Override
        public void setHeader(String name, String value) {
            removeHeader(name);
            headers.add(name);
            headers.add(value);
        }

        @Override
        public void removeHeader(String name) {
            for (int i = headers.size() - 2; i >= 0; i -= 2) {
                if (headers.get(i).equalsIgnoreCase(name)) {
                    headers.remove(i + 1);
                    headers.remove(i);
                }
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Map<String, String> props = new HashMap<>();
        props.put("tagalong.headers", "X-Team=ml,X-Cost-Center=42,x-amz-meta-team=ml");
        props.put("tagalong.baggage.map", "tenant=X-Tenant,job=X-Job-Id");
        Tagalong.start(Config.load(props, new HashMap<String, String>()));
        pipeline = Tagalong.pipeline();
        pipeline.register(new ContextSource() {
            @Override
            public Kind kind() {
                return Kind.BAGGAGE;
            }

            @Override
            public Object capture() {
                return baggage.get();
            }

            @Override
            @SuppressWarnings("unchecked")
            public void forEach(Object captured, EntrySink sink) {
                for (Map.Entry<String, String> e : ((Map<String, String>) captured).entrySet()) sink.accept(e.getKey(), e.getValue());
            }
        });
    }

    /** A StorageHeaders scope and baggage current on the benchmark thread, for the benchmarks that want them. */
    @State(Scope.Thread)
    public static class Sources {
        StorageHeaders.Scope scope;

        @Setup(Level.Iteration)
        public void open(PipelineBenchmark b) {
            Map<String, String> entries = new HashMap<>();
            entries.put("tenant", "acme");
            entries.put("job", "nightly");
            entries.put("unmapped", "x");
            b.baggage.set(entries);
            scope = StorageHeaders.with("X-Request-Id", "r-1");
        }

        @TearDown(Level.Iteration)
        public void close(PipelineBenchmark b) {
            scope.close();
            b.baggage.remove();
        }
    }

    /** A context-holder scope of 5,000 headers, far more than one request can carry (8192 bytes). */
    @State(Scope.Thread)
    public static class LargeScope {
        StorageHeaders.Scope scope;

        @Setup(Level.Iteration)
        public void open() {
            Map<String, String> entries = new LinkedHashMap<>();
            for (int i = 0; i < 5_000; i++) entries.put("X-H" + i, "v" + i);
            scope = StorageHeaders.with(entries);
        }

        @TearDown(Level.Iteration)
        public void close() {
            scope.close();
        }
    }

    /** A request inside a 5,000-header scope: it gets the ~600 headers that fit; the rest must cost next to nothing. */
    @Benchmark
    public Request largeScope5000(LargeScope scope) {
        Request r = new Request();
        if (pipeline.isStorageRequest(Targets.Client.HTTP, "https", "bucket.s3.us-east-1.amazonaws.com", -1, "/key")) {
            pipeline.apply(r, pipeline.capture());
        }
        return r;
    }

    /** A request to a host that is not a storage target: the decision every instrumented request pays. */
    @Benchmark
    public boolean notATarget() {
        return pipeline.isStorageRequest(Targets.Client.HTTP, "http", "api.internal.example", 8080, "/v1/items");
    }

    /** Three static headers on a storage request, no thread-bound sources. */
    @Benchmark
    public Request threeStaticHeaders() {
        Request r = new Request();
        if (pipeline.isStorageRequest(Targets.Client.HTTP, "https", "bucket.s3.us-east-1.amazonaws.com", -1, "/key")) {
            pipeline.apply(r, pipeline.capture());
        }
        return r;
    }

    /** The three static headers plus a context-holder scope and two mapped baggage entries. */
    @Benchmark
    public Request staticBaggageAndHolder(Sources sources) {
        Request r = new Request();
        if (pipeline.isStorageRequest(Targets.Client.HTTP, "https", "bucket.s3.us-east-1.amazonaws.com", -1, "/key")) {
            pipeline.apply(r, pipeline.capture());
        }
        return r;
    }

    /** The limit: the same three headers set by hand on the same request. */
    @Benchmark
    public Request handWrittenThreeHeaders() {
        Request r = new Request();
        r.setHeader("X-Team", "ml");
        r.setHeader("X-Cost-Center", "42");
        r.setHeader("x-amz-meta-team", "ml");
        return r;
    }
}
