package io.tagalong.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A loopback request round trip with HttpURLConnection (keep-alive, a server in the same JVM): three headers set by
 * hand without the agent (the limit) next to the same three added by the agent, which the agent's forks attach.
 * Run from the repository root, after {@code mvn -B -q package -DskipTests} (the forks name
 * {@code agent/target/tagalong-agent.jar}):
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RoundTripBenchmark -prof gc</pre>
 *
 * Before measuring, each benchmark makes one request and checks what the server received (the headers, or none), so
 * a fork whose agent did not attach fails instead of measuring the wrong thing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class RoundTripBenchmark {
    static final String AGENT = "-javaagent:agent/target/tagalong-agent.jar";
    static final String HEADERS = "-Dtagalong.headers=X-Team=ml,X-Cost-Center=42,X-Job-Id=nightly";

    private HttpServer server;
    private URL url;
    /** The X-Team header of the last request the server received, or "none". */
    private volatile String lastTeam;

    @Setup(Level.Trial)
    public void start(BenchmarkParams params) throws IOException {
        // Without TCP_NODELAY the server's separate head and body writes meet the client's delayed ACK: ~40 ms a request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            String team = exchange.getRequestHeaders().getFirst("X-Team");
            lastTeam = team == null ? "none" : team;
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/bucket/key");

        String name = params.getBenchmark();
        boolean handSet = name.endsWith("handSetHeaders");
        request(handSet);
        String expected = handSet || name.endsWith("agentSetsHeaders") ? "ml" : "none";
        if (!expected.equals(lastTeam)) {
            throw new IllegalStateException(name + ": the server received X-Team " + lastTeam + ", expected " + expected
                    + " (run from the repository root after building the agent)");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.stop(0);
    }

    private int request(boolean handSet) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        if (handSet) {
            connection.setRequestProperty("X-Team", "ml");
            connection.setRequestProperty("X-Cost-Center", "42");
            connection.setRequestProperty("X-Job-Id", "nightly");
        }
        try (InputStream in = connection.getInputStream()) {
            byte[] buffer = new byte[256];
            while (in.read(buffer) > 0) {
                // drained, so the connection goes back to the keep-alive cache
            }
        }
        return connection.getResponseCode();
    }

    /** The request alone: no agent, no headers. */
    @Benchmark
    @Fork(1)
    public int bareNoAgent() throws IOException {
        return request(false);
    }

    /** The limit: no agent, the three headers set by hand. */
    @Benchmark
    @Fork(1)
    public int handSetHeaders() throws IOException {
        return request(true);
    }

    /** The agent adds the three headers (tagalong.headers; 127.0.0.1 is a target). */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {AGENT, "-Dtagalong.targets=127.0.0.1", HEADERS})
    public int agentSetsHeaders() throws IOException {
        return request(false);
    }

    /** The agent attached, the request not a target (default targets s3,gcs): the decision every request pays. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {AGENT, HEADERS})
    public int agentNotATarget() throws IOException {
        return request(false);
    }
}
