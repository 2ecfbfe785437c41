package io.tagalong.benchmarks;

import io.tagalong.StorageHeaders;
import io.tagalong.bootstrap.Config;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.Tagalong;
import java.util.ArrayList;
import java.util.HashMap;
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
 * What each carrier adds to a request's decision: two headers ({@code tagalong.headers} X-Team, and X-Job-Id from a
 * {@code StorageHeaders} scope) decided alone, then also carried as S3 access-log query parameters, as a User-Agent
 * element, as GCS custom audit headers, and all three. The request is a small list of headers and query parameters
 * whose layer offers every carrier, as an SDK layer before signing does.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar CarrierBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CarrierBenchmark {
    private Pipeline headersOnly, s3LogParams, userAgent, gcsAudit, allThree;
    private StorageHeaders.Scope scope;

    /** A request at a layer offering every carrier, with a client's User-Agent; query parameters as a name/value list. */
    static final class Request extends PipelineBenchmark.Request {
        final List<String> query = new ArrayList<>(4);

        Request() {
            headers.add("User-Agent");
            headers.add("aws-sdk-java/2.40.2 md/io#sync md/http#Apache ua/2.1 api/S3#2.40.x os/Linux lang/java#17.0.15");
        }

        @Override
        protected int carriers() {
            return USER_AGENT | S3_LOG_PARAMS | GCS_AUDIT;
        }

        @Override
        protected boolean hasQueryParameter(String name) {
            for (int i = 0; i < query.size(); i += 2) if (query.get(i).equalsIgnoreCase(name)) return true;
            return false;
        }

        @Override
        protected void addQueryParameter(String name, String value) {
            query.add(name);
            query.add(value);
        }
    }

    private static Pipeline pipeline(String key, String value) {
        Map<String, String> props = new HashMap<>();
        props.put("tagalong.headers", "X-Team=ml");
        if (key != null) props.put(key, value);
        Tagalong.start(Config.load(props, new HashMap<String, String>()));
        return Tagalong.pipeline();
    }

    @Setup(Level.Trial)
    public void setUp() {
        headersOnly = pipeline(null, null);
        s3LogParams = pipeline("tagalong.s3.log-params", "X-Team,X-Job-Id");
        userAgent = pipeline("tagalong.user-agent", "X-Team,X-Job-Id");
        gcsAudit = pipeline("tagalong.gcs.audit", "X-Team,X-Job-Id");
        Map<String, String> all = new HashMap<>();
        all.put("tagalong.headers", "X-Team=ml");
        all.put("tagalong.s3.log-params", "X-Team,X-Job-Id");
        all.put("tagalong.user-agent", "X-Team,X-Job-Id");
        all.put("tagalong.gcs.audit", "X-Team,X-Job-Id");
        Tagalong.start(Config.load(all, new HashMap<String, String>()));
        allThree = Tagalong.pipeline();
        scope = StorageHeaders.with("X-Job-Id", "nightly");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
    }

    private static Request decide(Pipeline pipeline) {
        Request r = new Request();
        pipeline.apply(r, pipeline.capture());
        return r;
    }

    /** The baseline: the two headers, no carrier. */
    @Benchmark
    public Request headersOnly() {
        return decide(headersOnly);
    }

    @Benchmark
    public Request s3LogParams() {
        return decide(s3LogParams);
    }

    @Benchmark
    public Request userAgent() {
        return decide(userAgent);
    }

    @Benchmark
    public Request gcsAudit() {
        return decide(gcsAudit);
    }

    @Benchmark
    public Request allThree() {
        return decide(allThree);
    }
}
