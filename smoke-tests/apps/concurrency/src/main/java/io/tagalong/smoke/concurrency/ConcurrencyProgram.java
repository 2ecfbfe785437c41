package io.tagalong.smoke.concurrency;

import io.tagalong.StorageHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many program threads, each making requests that must carry exactly their own scope's header.
 *
 * <pre>
 * ConcurrencyProgram CLIENT[,CLIENT...] THREADS REQUESTS_PER_THREAD BASE_URL [hand]
 * ConcurrencyProgram fork-join-throughput PARALLELISM ROUNDS [scoped-once]
 * </pre>
 *
 * Each of THREADS threads loops REQUESTS_PER_THREAD times: opens {@code StorageHeaders.with("X-Seq", "t-i")}, issues
 * {@code GET BASE_URL/seq/t-i} and closes the scope as soon as the call returns. For the async clients that is before
 * the response (often before the request is written), so any state shared between calls shows as a wrong value at
 * the server. With {@code hand} the program sets X-Seq itself and opens no scope (the baseline of throughput.sh).
 * The system property {@code concurrency.warmup=N} first runs N unmeasured rounds of the same size;
 * {@code concurrency.stacks=true} prints the stack trace of a call that threw.
 * Prints {@code done client=C requests=N failures=F millis=MS}; exits 3 when a request failed (status != 200,
 * an I/O error, no answer in 50 s), 2 on a usage error.
 */
public final class ConcurrencyProgram {
    static final String HEADER = "X-Seq";

    /** One way of sending a GET; a null seq means "the agent's scope must supply the header". */
    interface Client extends AutoCloseable {
        Future<Integer> send(String url, String seq) throws Exception;

        @Override
        default void close() throws Exception {}
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("fork-join-throughput")) {
            forkJoinThroughput(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args.length > 3 && args[3].equals("scoped-once"));
            return;
        }
        if (args.length < 4) {
            System.err.println("usage: ConcurrencyProgram CLIENT THREADS REQUESTS_PER_THREAD BASE_URL [hand]"
                    + " | fork-join-throughput PARALLELISM ROUNDS [scoped-once]");
            System.exit(2);
        }
        String name = args[0];
        int threads = Integer.parseInt(args[1]);
        int perThread = Integer.parseInt(args[2]);
        String base = args[3].endsWith("/") ? args[3].substring(0, args[3].length() - 1) : args[3];
        boolean hand = args.length > 4 && args[4].equals("hand");

        int failures = 0;
        for (String one : name.split(",")) { // several clients, one after the other, in one JVM
            try (Client client = client(one)) {
                for (int w = Integer.getInteger("concurrency.warmup", 0); w > 0; w--) {
                    round(client, threads, perThread, base, hand);
                }
                long start = System.nanoTime();
                int failed = round(client, threads, perThread, base, hand);
                failures += failed;
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.println("done client=" + one + " requests=" + threads * perThread + " failures=" + failed + " millis=" + millis);
                System.out.flush();
            }
        }
        // Exit without waiting for the clients' non-daemon threads (OkHttp's, Apache's reactor) to wind down.
        Runtime.getRuntime().halt(failures == 0 ? 0 : 3);
    }

    /** One round: every thread issues its requests without waiting for answers; then all are awaited. */
    private static int round(Client client, int threads, int perThread, String base, boolean hand) throws Exception {
        List<List<Future<Integer>>> futures = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger failures = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            List<Future<Integer>> mine = new ArrayList<>(perThread);
            futures.add(mine);
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        String seq = thread + "-" + i;
                        String url = base + "/seq/" + seq;
                        if (hand) {
                            mine.add(client.send(url, seq));
                        } else {
                            // Closed as soon as the call returns: an async request still in flight keeps what it captured.
                            try (StorageHeaders.Scope ignored = StorageHeaders.with(HEADER, seq)) {
                                mine.add(client.send(url, null));
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.incrementAndGet();
                    reportOnce("issuing a request failed: " + e);
                    if (Boolean.getBoolean("concurrency.stacks")) e.printStackTrace();
                }
            }, "program-" + t);
            workers.add(worker);
            worker.start();
        }
        go.countDown();
        for (Thread worker : workers) worker.join();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        for (List<Future<Integer>> mine : futures) {
            for (Future<Integer> future : mine) {
                try {
                    int status = future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (status != 200) {
                        failures.incrementAndGet();
                        reportOnce("a request ended with status " + status);
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    reportOnce("a request failed: " + (e.getCause() != null ? e.getCause() : e));
                }
            }
        }
        return failures.get();
    }

    private static final AtomicInteger REPORTED = new AtomicInteger();

    private static void reportOnce(String what) {
        if (REPORTED.getAndIncrement() < 3) System.err.println(what);
    }

    private static Client client(String name) throws Exception {
        switch (name) {
            case "apache5-async-shared-context": return new Apache5SharedContext();
            case "apache4-async-shared-context": return new Apache4SharedContext();
            case "okhttp-enqueue": return new OkHttpEnqueue();
            case "jdk-sendasync": return new JdkSendAsync();
            case "http-url-connection": return (url, seq) -> CompletableFuture.completedFuture(get(url, seq));
            case "pool": return pool();
            case "fork-join": return forkJoin();
            case "virtual-threads": return virtualThreads();
            default:
                System.err.println("unknown client " + name);
                System.exit(2);
                return null;
        }
    }

    /** A blocking GET with HttpURLConnection; the body is read to the end so the connection is reused. */
    static int get(String url, String seq) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        if (seq != null) connection.setRequestProperty(HEADER, seq);
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in != null) while (in.read(new byte[256]) >= 0) { /* drain */ }
        }
        return status;
    }

    /**
     * A ThreadPoolExecutor: the scope is open on the submitting thread only; the task makes the request without
     * StorageHeaders.wrap, so only the agent's executors instrumentation can carry the header to it.
     */
    private static Client pool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        return new Client() {
            public Future<Integer> send(String url, String seq) {
                return pool.submit(() -> get(url, seq));
            }

            public void close() {
                pool.shutdown();
            }
        };
    }

    /**
     * Fork/join in its three common forms, in turn: CompletableFuture.supplyAsync on its default executor (the common
     * pool, or a thread per task when the common pool has parallelism 1, as on 2 cores), supplyAsync on a
     * ForkJoinPool, and ForkJoinPool.submit.
     */
    private static Client forkJoin() {
        ForkJoinPool pool = new ForkJoinPool(8);
        AtomicInteger turn = new AtomicInteger();
        return new Client() {
            public Future<Integer> send(String url, String seq) {
                Callable<Integer> task = () -> get(url, seq);
                switch (turn.getAndIncrement() % 3) {
                    case 0: return CompletableFuture.supplyAsync(() -> unchecked(task));
                    case 1: return CompletableFuture.supplyAsync(() -> unchecked(task), pool);
                    default: return pool.submit(task);
                }
            }

            public void close() {
                pool.shutdown();
            }
        };
    }

    /** A virtual thread per request (JDK 21+), found by reflection so this compiles for Java 17. */
    private static Client virtualThreads() throws Exception {
        ExecutorService executor;
        try {
            executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            System.err.println("virtual threads need JDK 21+");
            System.exit(2);
            return null;
        }
        return new Client() {
            public Future<Integer> send(String url, String seq) {
                return executor.submit(() -> get(url, seq));
            }

            public void close() {
                executor.shutdown();
            }
        };
    }

    private static <T> T unchecked(Callable<T> task) {
        try {
            return task.call();
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    /**
     * httpclient5 async: each program thread reuses ONE HttpClientContext for all its calls, without waiting between
     * them. Not one context for all threads: httpclient5's HttpClientContext is not thread-safe (its auth exchanges
     * are a HashMap, and concurrent execute calls with one context throw ConcurrentModificationException from
     * HttpClientContext.getAuthExchange, agent or not), so that would test the client, not the agent.
     */
    static final class Apache5SharedContext implements Client {
        private final org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
                org.apache.hc.client5.http.impl.async.HttpAsyncClients.custom()
                        .setConnectionManager(org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder.create()
                                .setMaxConnTotal(64).setMaxConnPerRoute(64).build())
                        .build();
        private final ThreadLocal<org.apache.hc.client5.http.protocol.HttpClientContext> context =
                ThreadLocal.withInitial(org.apache.hc.client5.http.protocol.HttpClientContext::create);

        Apache5SharedContext() {
            client.start();
        }

        public Future<Integer> send(String url, String seq) {
            org.apache.hc.client5.http.async.methods.SimpleHttpRequest request =
                    org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(url).build();
            if (seq != null) request.setHeader(HEADER, seq);
            CompletableFuture<Integer> status = new CompletableFuture<>();
            client.execute(request, context.get(), new org.apache.hc.core5.concurrent.FutureCallback<
                    org.apache.hc.client5.http.async.methods.SimpleHttpResponse>() {
                public void completed(org.apache.hc.client5.http.async.methods.SimpleHttpResponse response) {
                    status.complete(response.getCode());
                }

                public void failed(Exception e) {
                    status.completeExceptionally(e);
                }

                public void cancelled() {
                    status.cancel(false);
                }
            });
            return status;
        }

        public void close() throws IOException {
            client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
        }
    }

    /** HttpAsyncClient 4.1: ONE HttpClientContext for every call of every thread (4.x's context is a ConcurrentHashMap). */
    static final class Apache4SharedContext implements Client {
        private final org.apache.http.impl.nio.client.CloseableHttpAsyncClient client =
                org.apache.http.impl.nio.client.HttpAsyncClients.custom().setMaxConnTotal(64).setMaxConnPerRoute(64).build();
        private final org.apache.http.client.protocol.HttpClientContext context =
                org.apache.http.client.protocol.HttpClientContext.create();

        Apache4SharedContext() {
            client.start();
        }

        public Future<Integer> send(String url, String seq) {
            org.apache.http.client.methods.HttpGet request = new org.apache.http.client.methods.HttpGet(url);
            if (seq != null) request.setHeader(HEADER, seq);
            CompletableFuture<Integer> status = new CompletableFuture<>();
            client.execute(request, context, new org.apache.http.concurrent.FutureCallback<org.apache.http.HttpResponse>() {
                public void completed(org.apache.http.HttpResponse response) {
                    status.complete(response.getStatusLine().getStatusCode());
                }

                public void failed(Exception e) {
                    status.completeExceptionally(e);
                }

                public void cancelled() {
                    status.cancel(false);
                }
            });
            return status;
        }

        public void close() throws IOException {
            client.close();
        }
    }

    /** OkHttp 5 Call.enqueue; the dispatcher's limits raised so 64 program threads are not capped at 5 per host. */
    static final class OkHttpEnqueue implements Client {
        private final okhttp3.OkHttpClient client;

        OkHttpEnqueue() {
            okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
            dispatcher.setMaxRequests(64);
            dispatcher.setMaxRequestsPerHost(64);
            client = new okhttp3.OkHttpClient.Builder().dispatcher(dispatcher)
                    .connectionPool(new okhttp3.ConnectionPool(64, 1, TimeUnit.MINUTES)).build();
        }

        public Future<Integer> send(String url, String seq) {
            okhttp3.Request.Builder request = new okhttp3.Request.Builder().url(url);
            if (seq != null) request.header(HEADER, seq);
            CompletableFuture<Integer> status = new CompletableFuture<>();
            client.newCall(request.build()).enqueue(new okhttp3.Callback() {
                public void onFailure(okhttp3.Call call, IOException e) {
                    status.completeExceptionally(e);
                }

                public void onResponse(okhttp3.Call call, okhttp3.Response response) throws IOException {
                    try (okhttp3.Response r = response) {
                        r.body().string();
                        status.complete(r.code());
                    }
                }
            });
            return status;
        }

        public void close() {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** java.net.http.HttpClient.sendAsync, HTTP/1.1 (no h2c upgrade attempt against a plain HTTP/1.1 server). */
    static final class JdkSendAsync implements Client {
        private final java.net.http.HttpClient client =
                java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();

        public Future<Integer> send(String url, String seq) {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(URI.create(url)).GET();
            if (seq != null) request.header(HEADER, seq);
            return client.sendAsync(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                    .thenApply(java.net.http.HttpResponse::statusCode);
        }
    }

    /**
     * Fork/join task throughput on a ForkJoinPool of the given parallelism: ROUNDS times a divide-and-conquer sum
     * that forks {@link Sum#TASKS} tasks, after one unmeasured fifth as warm-up. With {@code scoped-once}, ONE task
     * first runs inside a StorageHeaders scope, as a program that once used a scope would: from then on nothing is
     * scoped, so the agent should cost next to nothing again.
     */
    private static void forkJoinThroughput(int parallelism, int rounds, boolean scopedOnce) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(parallelism);
        if (scopedOnce) {
            // A fork/join task (forked, not a Runnable the pool wraps): the path by which a task carries a scope.
            try (StorageHeaders.Scope ignored = StorageHeaders.with(HEADER, "once")) {
                pool.invoke(new Sum(0, 4 * Sum.LEAF));
            }
        }
        long check = 0;
        for (int r = 0; r < Math.max(1, rounds / 5); r++) check += pool.invoke(new Sum(0, Sum.SIZE));
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) check += pool.invoke(new Sum(0, Sum.SIZE));
        long nanos = System.nanoTime() - start;
        long tasks = (long) rounds * Sum.TASKS;
        System.out.println(String.format(Locale.ROOT, "done client=fork-join-throughput tasks=%d millis=%d tasksPerSec=%.0f scopedOnce=%s check=%d",
                tasks, TimeUnit.NANOSECONDS.toMillis(nanos), tasks * 1e9 / nanos, scopedOnce, check & 0xff));
        pool.shutdown();
    }

    /** Sums 0..SIZE-1 by splitting down to LEAF numbers: 2*SIZE/LEAF - 1 tasks, most of the cost is forking. */
    static final class Sum extends RecursiveTask<Long> {
        static final int SIZE = 1 << 16;
        static final int LEAF = 64;
        static final long TASKS = 2L * SIZE / LEAF - 1;
        private final int from;
        private final int to;

        Sum(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        protected Long compute() {
            if (to - from <= LEAF) {
                long sum = 0;
                for (int i = from; i < to; i++) sum += i;
                return sum;
            }
            int middle = (from + to) >>> 1;
            Sum left = new Sum(from, middle);
            left.fork();
            return new Sum(middle, to).compute() + left.join();
        }
    }
}
