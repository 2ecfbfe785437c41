package io.tagalong.instrumentation.executors;

import io.tagalong.bootstrap.HeaderSet;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.ScopedHeaders;
import io.tagalong.bootstrap.StateField;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RunnableFuture;

/**
 * Called at the entry of the JDK methods that hand work to another thread, so that the StorageHeaders scope current
 * where work is handed over is the one current while it runs, and nothing stays on the thread afterwards.
 *
 * <ul>
 *   <li>Runnables and callables given to a thread pool, a scheduled pool, a fork/join pool, CompletableFuture's
 *       thread-per-task executor or a new virtual thread are wrapped ({@link Wrapped}); only when a scope is current,
 *       so that a program without scopes pays one thread-local read per task.</li>
 *   <li>Fork/join tasks keep their identity (they are joined), so the scope is attached to the task when it is forked
 *       or submitted and put in place around {@code ForkJoinTask.doExec}, which every pool thread runs them through.</li>
 * </ul>
 * Every method returns its argument unchanged on any failure: the program's work is never lost. No lambdas: this code
 * runs inside the JDK's own executors, possibly while the lambda machinery initialises.
 */
public final class ExecutorsHook {
    private static final String POOL_WORKER = "java.util.concurrent.ThreadPoolExecutor$Worker";

    private ExecutorsHook() {}

    /** ThreadPoolExecutor.execute, ScheduledThreadPoolExecutor.schedule*, CompletableFuture's thread-per-task executor. */
    public static Runnable wrap(Runnable task) {
        try {
            HeaderSet headers = ScopedHeaders.current();
            if (headers.size() == 0 || task == null || task instanceof Wrapped) return task;
            if (task instanceof RunnableFuture) return new WrappedFuture<Object>(headers, (RunnableFuture<Object>) task);
            return new Wrapped(headers, task, null);
        } catch (Throwable t) {
            failed(t);
            return task;
        }
    }

    /** ScheduledThreadPoolExecutor.schedule(Callable), ForkJoinPool.submit(Callable). */
    public static Callable<?> wrap(Callable<?> task) {
        try {
            HeaderSet headers = ScopedHeaders.current();
            if (headers.size() == 0 || task == null || task instanceof Wrapped) return task;
            return new Wrapped(headers, null, task);
        } catch (Throwable t) {
            failed(t);
            return task;
        }
    }

    /** ForkJoinPool.execute/submit(Runnable): a fork/join task given as a Runnable keeps its identity. */
    public static Runnable wrapForPool(Runnable task) {
        if (task instanceof ForkJoinTask) {
            attach((ForkJoinTask<?>) task);
            return task;
        }
        return wrap(task);
    }

    /**
     * ThreadBuilders.newVirtualThread (every virtual thread, JDK 21+). A pool's worker (a thread pool built with a
     * virtual thread factory) is not wrapped: it would keep the scope for every later task.
     */
    public static Runnable wrapVirtual(Runnable task) {
        if (task == null || ScopedHeaders.current().size() == 0 || task.getClass().getName().equals(POOL_WORKER)) return task;
        return wrap(task);
    }

    /*
     * The fork/join hooks run for every task of every parallel stream and CompletableFuture.*Async: each is a few
     * bytes of bytecode on its common path, so that the JIT inlines it into fork and doExec and a task that carries
     * nothing costs a field read and a type check (measured: a larger hook cost 10-13% of a fork/join micro-benchmark
     * by blocking inlining); the rest is in methods called only when a scope is there.
     */

    /**
     * ForkJoinTask.fork, ForkJoinPool.execute/submit/invoke(ForkJoinTask). The task's state field holds its HeaderSet
     * until it runs, then the Scope to close when it ends.
     */
    public static void attach(ForkJoinTask<?> task) {
        HeaderSet headers = ScopedHeaders.current();
        if (headers.size() != 0) attach(task, headers);
    }

    private static void attach(ForkJoinTask<?> task, HeaderSet headers) {
        try {
            StateField.set(task, headers);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Entry of ForkJoinTask.doExec in a class without the state field (loaded before the agent). */
    public static void beforeExec(ForkJoinTask<?> task) {
        beforeExec(task, StateField.get(task));
    }

    /** Entry of ForkJoinTask.doExec, with the task's state: its scope, if it carries one, becomes current. */
    public static void beforeExec(ForkJoinTask<?> task, Object state) {
        if (state instanceof HeaderSet) open(task, (HeaderSet) state);
    }

    private static void open(ForkJoinTask<?> task, HeaderSet headers) {
        try {
            StateField.set(task, ScopedHeaders.replace(headers));
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Before ForkJoinTask.doExec returns, in a class without the state field. */
    public static void afterExec(ForkJoinTask<?> task) {
        afterExec(task, StateField.get(task));
    }

    /** Before ForkJoinTask.doExec returns: that scope closes (doExec catches what the task throws). */
    public static void afterExec(ForkJoinTask<?> task, Object state) {
        if (state instanceof ScopedHeaders.Scope) close(task, (ScopedHeaders.Scope) state);
    }

    private static void close(ForkJoinTask<?> task, ScopedHeaders.Scope scope) {
        try {
            // Only the thread that opened it: a thread that calls doExec on a task another one runs has nothing here.
            if (scope.isOpenOnThisThread()) {
                StateField.set(task, null);
                scope.close();
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    private static void failed(Throwable t) {
        Log.warnOnce("executors-failed", "executors: a task runs without its StorageHeaders (" + t.getClass().getSimpleName() + ")");
    }

    /** Runs a task with the headers that were current when it was handed over, then puts the thread back as it was. */
    static class Wrapped implements Runnable, Callable<Object> {
        private final HeaderSet headers;
        final Runnable runnable;
        private final Callable<?> callable;

        Wrapped(HeaderSet headers, Runnable runnable, Callable<?> callable) {
            this.headers = headers;
            this.runnable = runnable;
            this.callable = callable;
        }

        @Override
        public void run() {
            ScopedHeaders.Scope scope = ScopedHeaders.replace(headers);
            try {
                runnable.run();
            } finally {
                scope.close();
            }
        }

        @Override
        public Object call() throws Exception {
            ScopedHeaders.Scope scope = ScopedHeaders.replace(headers);
            try {
                return callable.call();
            } finally {
                scope.close();
            }
        }

        @Override
        public String toString() {
            return String.valueOf(runnable != null ? runnable : callable);
        }
    }

    /**
     * A wrapped FutureTask (what submit hands to execute) is still a Future, so that a pool's afterExecute that
     * reads the task's outcome keeps working.
     */
    static final class WrappedFuture<V> extends Wrapped implements RunnableFuture<V> {
        private final RunnableFuture<V> future;

        WrappedFuture(HeaderSet headers, RunnableFuture<V> future) {
            super(headers, future, null);
            this.future = future;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return future.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return future.isCancelled();
        }

        @Override
        public boolean isDone() {
            return future.isDone();
        }

        @Override
        public V get() throws InterruptedException, java.util.concurrent.ExecutionException {
            return future.get();
        }

        @Override
        public V get(long timeout, java.util.concurrent.TimeUnit unit)
                throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
            return future.get(timeout, unit);
        }
    }
}
