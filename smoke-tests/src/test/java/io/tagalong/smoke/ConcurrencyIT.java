package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Under concurrency every request carries exactly the header of the scope that made it (issue 9): 16 program threads
 * each issue requests, each in its own {@code StorageHeaders.with("X-Seq", "t-i")} scope closed as soon as the call
 * returns, through every async client and every way of handing work to another thread (program ConcurrencyProgram of
 * app module {@code concurrency}). The server compares each request's path {@code /seq/t-i} with the X-Seq it
 * received: a value of another request (state shared between calls), none, or two are all failures.
 *
 * <p>The server is a JDK HttpServer rather than WireMock: at thousands of requests WireMock's request journal would be
 * the bottleneck, and only four counters are needed.
 */
class ConcurrencyIT {
    static final int THREADS = 16;
    static final int PER_THREAD = 50;

    static SeqServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = new SeqServer();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    private ChildResult run(ChildJvm jvm, String client, String... hand) {
        List<String> args = new ArrayList<>(List.of(client, String.valueOf(THREADS), String.valueOf(PER_THREAD), server.url("")));
        args.addAll(List.of(hand));
        return jvm.app("concurrency").property("tagalong.targets", server.prefixTarget())
                .run("io.tagalong.smoke.concurrency.ConcurrencyProgram", args.toArray(new String[0]))
                .assertCleanRun();
    }

    /** Every request arrived once, with its own value, once. */
    private void assertEachRequestCarriedItsOwnScope(Jdk jdk, String client) {
        ChildResult result = run(ChildJvm.withAgent(jdk), client);
        assertThat(server.counts())
                .as("%s on %s: what the server saw (examples of wrong values: %s)\n%s", client, jdk, server.wrongExamples(), result)
                .isEqualTo(new Counts(THREADS * PER_THREAD, 0, 0, 0));
        assertThat(server.userAgentOwn.get()).as("no tagalong.user-agent, no element").isZero();
    }

    /**
     * tagalong.user-agent=X-Seq, the HTTP clients in one JVM: each request's User-Agent holds one element with its
     * own value ({@code tagalong (seq=t-i)}), appended to the client's own User-Agent. The other tests here are the
     * control: without the key no request has one.
     */
    @OnEveryJdk
    void theUserAgentElementCarriesEachRequestsOwnValueOnEveryHttpClient(Jdk jdk) {
        // Not Apache 5 async, whose client sets its User-Agent after the hook (ApacheHttpClient5IT checks it gets none).
        String clients = "http-url-connection,okhttp-enqueue,apache4-async-shared-context,jdk-sendasync";
        ChildJvm jvm = ChildJvm.withAgent(jdk).app("concurrency").property("tagalong.targets", server.prefixTarget());
        jvm.property("tagalong.user-agent", "X-Seq").run("io.tagalong.smoke.concurrency.ConcurrencyProgram", clients, "4", "5", server.url(""))
                .assertCleanRun();
        assertThat(server.counts()).isEqualTo(new Counts(4 * 4 * 5, 0, 0, 0));
        assertThat(server.userAgentOwn.get()).as("requests with their own User-Agent element").isEqualTo(4 * 4 * 5);
    }

    @OnEveryJdk
    void apache5AsyncWithOneSharedContext(Jdk jdk) {
        assertEachRequestCarriedItsOwnScope(jdk, "apache5-async-shared-context");
    }

    @OnEveryJdk
    void apache4AsyncWithOneSharedContext(Jdk jdk) {
        assertEachRequestCarriedItsOwnScope(jdk, "apache4-async-shared-context");
    }

    @OnEveryJdk
    void okHttpEnqueue(Jdk jdk) {
        assertEachRequestCarriedItsOwnScope(jdk, "okhttp-enqueue");
    }

    @OnEveryJdk
    void javaHttpClientSendAsync(Jdk jdk) {
        assertEachRequestCarriedItsOwnScope(jdk, "jdk-sendasync");
    }

    @OnEveryJdk
    void httpUrlConnectionOnEachThread(Jdk jdk) {
        assertEachRequestCarriedItsOwnScope(jdk, "http-url-connection");
    }

    @OnEveryJdk
    void threadPoolWithoutWrap(Jdk jdk) {
        assertEachRequestCarriedItsOwnScope(jdk, "pool");
    }

    @OnEveryJdk
    void forkJoinAndCompletableFuture(Jdk jdk) {
        assertEachRequestCarriedItsOwnScope(jdk, "fork-join");
    }

    @OnEveryJdk
    void virtualThreads(Jdk jdk) {
        assumeTrue(jdk.feature() >= 21, "virtual threads need JDK 21+");
        assertEachRequestCarriedItsOwnScope(jdk, "virtual-threads");
    }

    /**
     * Controls, without the agent: with scopes every request arrives without its header (so the checks above can
     * fail); with the program setting X-Seq by hand every request counts as ok (so the server's comparison is right).
     */
    @OnEveryJdk
    void withoutTheAgentEveryRequestIsMissingItsHeader(Jdk jdk) {
        run(ChildJvm.withoutAgent(jdk), "apache5-async-shared-context");
        assertThat(server.counts()).as("scopes, no agent").isEqualTo(new Counts(0, 0, THREADS * PER_THREAD, 0));
        server.reset();
        run(ChildJvm.withoutAgent(jdk), "pool");
        assertThat(server.counts()).as("scopes, no agent").isEqualTo(new Counts(0, 0, THREADS * PER_THREAD, 0));
        server.reset();
        run(ChildJvm.withoutAgent(jdk), "okhttp-enqueue", "hand");
        assertThat(server.counts()).as("set by hand, no agent").isEqualTo(new Counts(THREADS * PER_THREAD, 0, 0, 0));
    }

    /** What the server saw: requests with their own value, another request's value, no value, several values. */
    record Counts(int ok, int wrong, int missing, int duplicated) {}

    /** A real HTTP server on loopback that checks X-Seq against the path {@code /seq/<value>} of every request. */
    static final class SeqServer {
        private final HttpServer http;
        private final ExecutorService threads = Executors.newFixedThreadPool(16);
        private final AtomicInteger ok = new AtomicInteger();
        private final AtomicInteger wrong = new AtomicInteger();
        private final AtomicInteger missing = new AtomicInteger();
        private final AtomicInteger duplicated = new AtomicInteger();
        /** Requests whose User-Agent holds one tagalong.user-agent element, with their own X-Seq. */
        private final AtomicInteger userAgentOwn = new AtomicInteger();
        private final Queue<String> wrongExamples = new ConcurrentLinkedQueue<>();

        SeqServer() throws IOException {
            // Without TCP_NODELAY the body, written after the headers, waits for the client's delayed ACK (~40 ms per
            // request); read once, when the JDK's server first starts, and no other test in this JVM uses it.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            // A deep backlog: the async clients open many connections at once.
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            http.setExecutor(threads);
            http.createContext("/", this::handle);
            http.start();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                try (InputStream body = exchange.getRequestBody()) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
                String path = exchange.getRequestURI().getPath();
                String expected = path.startsWith("/seq/") ? path.substring("/seq/".length()) : null;
                List<String> values = exchange.getRequestHeaders().get("X-Seq");
                List<String> userAgents = exchange.getRequestHeaders().get("User-Agent");
                String userAgent = userAgents == null || userAgents.size() != 1 ? "" : userAgents.get(0);
                if (userAgent.contains("tagalong (seq=" + expected + ")") && userAgent.indexOf("tagalong (") == userAgent.lastIndexOf("tagalong (")) {
                    userAgentOwn.incrementAndGet();
                }
                if (values == null || values.isEmpty()) {
                    missing.incrementAndGet();
                } else if (values.size() > 1 || values.get(0).contains(",")) {
                    duplicated.incrementAndGet();
                } else if (values.get(0).equals(expected)) {
                    ok.incrementAndGet();
                } else {
                    wrong.incrementAndGet();
                    if (wrongExamples.size() < 5) wrongExamples.add(path + " carried " + values.get(0));
                }
                byte[] answer = {'o', 'k'};
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        }

        Counts counts() {
            return new Counts(ok.get(), wrong.get(), missing.get(), duplicated.get());
        }

        List<String> wrongExamples() {
            return List.copyOf(wrongExamples);
        }

        void reset() {
            userAgentOwn.set(0);
            ok.set(0);
            wrong.set(0);
            missing.set(0);
            duplicated.set(0);
            wrongExamples.clear();
        }

        String url(String path) {
            return "http://127.0.0.1:" + http.getAddress().getPort() + path;
        }

        /** The URL prefix target that makes this server's requests storage requests. */
        String prefixTarget() {
            return url("/");
        }

        void stop() {
            http.stop(0);
            threads.shutdownNow();
            try {
                threads.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
