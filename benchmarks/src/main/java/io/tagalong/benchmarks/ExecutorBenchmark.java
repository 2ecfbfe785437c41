package io.tagalong.benchmarks;

import io.tagalong.StorageHeaders;
import io.tagalong.instrumentation.executors.ExecutorsHook;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the executors instrumentation costs per task: with and without a StorageHeaders scope current where the task
 * is handed over. Run it without and with the agent; the difference is the instrumentation's cost.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ExecutorBenchmark
 * java -jar benchmarks/target/benchmarks.jar ExecutorBenchmark -jvmArgsAppend -javaagent:agent/target/tagalong-agent.jar
 * </pre>
 * {@code hook*} call the hook directly (no agent needed): wrap + run of one task, the instrumentation's own cost.
 * {@code poolSubmitGet}: one task through a one-thread pool and back (dominated by the thread hand-off).
 * {@code forkJoin64}: a fork/join tree with 64 leaves (63 forks) on the common pool.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ExecutorBenchmark {
    @Param({"false", "true"})
    public boolean scope;

    private StorageHeaders.Scope open;
    private ExecutorService pool;
    private final Runnable task = new Runnable() {
        @Override
        public void run() {
            Blackhole.consumeCPU(1);
        }
    };

    @Setup
    public void setUp() {
        pool = Executors.newSingleThreadExecutor();
        if (scope) open = StorageHeaders.with("X-Team", "ml");
    }

    @TearDown
    public void tearDown() {
        if (open != null) open.close();
        pool.shutdownNow();
    }

    @Benchmark
    public void hookWrapAndRun() {
        ExecutorsHook.wrap(task).run();
    }

    @Benchmark
    public Object poolSubmitGet() throws Exception {
        return pool.submit(task).get();
    }

    @Benchmark
    public void forkJoin64() {
        ForkJoinPool.commonPool().invoke(new Split(64));
    }

    /** Splits until one leaf per unit. */
    static final class Split extends RecursiveAction {
        private final int leaves;

        Split(int leaves) {
            this.leaves = leaves;
        }

        @Override
        protected void compute() {
            if (leaves == 1) {
                Blackhole.consumeCPU(1);
                return;
            }
            Split left = new Split(leaves / 2);
            left.fork();
            new Split(leaves - leaves / 2).compute();
            left.join();
        }
    }
}
