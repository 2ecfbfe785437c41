package io.tagalong.benchmarks;

import io.tagalong.bootstrap.StateField;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What keeping one request's state costs when many threads make requests: the life of one request's state as the
 * hooks see it (a new request object, its capture set where it is built, read where it is sent, then dropped), with
 * the state in the field the agent adds ({@code field}), in StateField's weak map for classes loaded before the agent
 * ({@code weakMap}), and in the synchronized WeakHashMap that the hooks used before ({@code synchronizedMap}).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar StateBenchmark -t 64   (and -t 1, -t 4, -t 16)</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(64)
@State(Scope.Benchmark)
public class StateBenchmark {
    @Param({"field", "weakMap", "synchronizedMap"})
    public String store;

    private final Map<Object, Object> synchronizedMap = Collections.synchronizedMap(new WeakHashMap<Object, Object>());
    private final Object capture = new Object();

    @Benchmark
    public Object requestLifetime() {
        Object request = "field".equals(store) ? new CarryingRequest() : new Object();
        switch (store) {
            case "synchronizedMap":
                synchronizedMap.put(request, capture);
                return synchronizedMap.get(request);
            default:
                StateField.set(request, capture);
                return StateField.get(request);
        }
    }

    /** A request class as the agent patches it when it loads: the field and the two Carrier methods. */
    static final class CarryingRequest implements StateField.Carrier {
        private volatile Object state;

        @Override
        public Object tagalong$state() {
            return state;
        }

        @Override
        public void tagalong$state(Object state) {
            this.state = state;
        }
    }
}
