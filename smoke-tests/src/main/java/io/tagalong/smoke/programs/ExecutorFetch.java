package io.tagalong.smoke.programs;

import io.tagalong.StorageHeaders;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Work handed to other threads inside StorageHeaders scopes, without StorageHeaders.wrap. Arguments: a scenario and a
 * base URL. Each request inside a scope carries X-Task with its own value (the path's last segment); each request
 * named {@code ...-after} runs on a thread that already ran a task inside a scope, with no scope open anywhere.
 * <ul>
 *   <li>{@code pool}: a one-thread pool, started before any scope: submit /pool-a, execute /pool-b, then /pool-after.</li>
 *   <li>{@code scheduled}: a one-thread scheduled pool: schedule(Callable) /scheduled-a, scheduleWithFixedDelay once
 *       /scheduled-b, then /scheduled-after.</li>
 *   <li>{@code completable}: supplyAsync /cf-a, runAsync /cf-b, then /cf-after (default async pool).</li>
 *   <li>{@code forkjoin}: a two-thread ForkJoinPool: submit(Callable) /fj-a, invoke(task that forks /fj-b), then /fj-after.</li>
 *   <li>{@code parallel}: a parallel stream of 8 requests /par-N in a scope, then 8 /par-after-N outside.</li>
 *   <li>{@code virtual}: a virtual-thread-per-task executor /vt-a, Thread.startVirtualThread /vt-b, then /vt-after
 *       (JDK 21+; called by reflection, this program is Java 17 bytecode).</li>
 * </ul>
 */
public final class ExecutorFetch {
    private ExecutorFetch() {}

    public static void main(String[] args) throws Exception {
        String base = args[1];
        switch (args[0]) {
            case "pool": {
                ExecutorService pool = Executors.newSingleThreadExecutor();
                pool.submit(() -> {}).get(); // the pool thread exists before any scope
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "pool-a")) {
                    pool.submit(() -> get(base + "/pool-a")).get();
                }
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "pool-b")) {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    pool.execute(() -> { get(base + "/pool-b"); done.complete(null); });
                    done.get();
                }
                pool.submit(() -> get(base + "/pool-after")).get();
                pool.shutdown();
                break;
            }
            case "scheduled": {
                ScheduledExecutorService pool = Executors.newScheduledThreadPool(1);
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "scheduled-a")) {
                    pool.schedule((Callable<Object>) () -> { get(base + "/scheduled-a"); return null; }, 1, TimeUnit.MILLISECONDS).get();
                }
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "scheduled-b")) {
                    CompletableFuture<Void> once = new CompletableFuture<>();
                    pool.scheduleWithFixedDelay(() -> { if (!once.isDone()) { get(base + "/scheduled-b"); once.complete(null); } },
                            0, 1, TimeUnit.HOURS);
                    once.get();
                }
                pool.schedule(() -> get(base + "/scheduled-after"), 0, TimeUnit.MILLISECONDS).get();
                pool.shutdownNow();
                break;
            }
            case "completable": {
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "cf-a")) {
                    CompletableFuture.supplyAsync(() -> { get(base + "/cf-a"); return 1; }).join();
                }
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "cf-b")) {
                    CompletableFuture.runAsync(() -> get(base + "/cf-b")).join();
                }
                CompletableFuture.runAsync(() -> get(base + "/cf-after")).join();
                break;
            }
            case "forkjoin": {
                ForkJoinPool pool = new ForkJoinPool(2);
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "fj-a")) {
                    pool.submit((Callable<Object>) () -> { get(base + "/fj-a"); return null; }).get();
                }
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "fj-b")) {
                    pool.invoke(new Forking(base + "/fj-b"));
                }
                pool.submit(() -> get(base + "/fj-after")).get();
                pool.shutdown();
                break;
            }
            case "parallel": {
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "par")) {
                    IntStream.range(0, 8).parallel().forEach(i -> get(base + "/par-" + i));
                }
                IntStream.range(0, 8).parallel().forEach(i -> get(base + "/par-after-" + i));
                break;
            }
            case "virtual": {
                ExecutorService perTask = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "vt-a")) {
                    perTask.submit(() -> get(base + "/vt-a")).get();
                }
                try (StorageHeaders.Scope s = StorageHeaders.with("X-Task", "vt-b")) {
                    Runnable task = () -> get(base + "/vt-b");
                    ((Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task)).join();
                }
                perTask.submit(() -> get(base + "/vt-after")).get();
                perTask.shutdown();
                break;
            }
            default:
                throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
    }

    /** Forks one subtask that makes the request, and joins it. */
    private static final class Forking extends RecursiveAction {
        private final String url;
        private final boolean child;

        Forking(String url) {
            this(url, false);
        }

        private Forking(String url, boolean child) {
            this.url = url;
            this.child = child;
        }

        @Override
        protected void compute() {
            if (child) {
                ExecutorFetch.get(url);
            } else {
                new Forking(url, true).fork().join();
            }
        }
    }

    private static void get(String url) {
        try {
            if (!Request.parse("GET " + url).send()) {
                System.exit(3);
            }
        } catch (java.io.IOException failed) {
            throw new java.io.UncheckedIOException(failed);
        }
    }
}
