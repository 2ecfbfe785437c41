import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * throughput.sh's server, on loopback: answers every request 200 "ok" as fast as it can, on a pool of threads (the
 * JDK's default runs handlers on one thread, which would be the bottleneck). Counts requests with and without
 * X-Seq and prints the counts to stdout on GET /counts (the script checks that the agent runs really carried the
 * header). Writes its port to the file named by args[0], then serves until killed. Run with {@code java File.java}.
 */
public final class ThroughputServer {
    public static void main(String[] args) throws Exception {
        // Without TCP_NODELAY the body, written after the headers, waits for the client's delayed ACK (~40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        AtomicLong withSeq = new AtomicLong();
        AtomicLong withoutSeq = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newFixedThreadPool(Integer.getInteger("threads", 16)));
        server.createContext("/", exchange -> {
            try (exchange) {
                try (InputStream body = exchange.getRequestBody()) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
                byte[] answer;
                if (exchange.getRequestURI().getPath().equals("/counts")) {
                    // read and reset, so each run's check sees only its own requests
                    answer = ("with-seq=" + withSeq.getAndSet(0) + " without-seq=" + withoutSeq.getAndSet(0)).getBytes();
                } else {
                    (exchange.getRequestHeaders().containsKey("X-Seq") ? withSeq : withoutSeq).incrementAndGet();
                    answer = new byte[] {'o', 'k'};
                }
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
        // Written then renamed, so the script never reads a half-written file.
        Path portFile = Paths.get(args[0]);
        Path partial = Paths.get(args[0] + ".partial");
        Files.writeString(partial, server.getAddress().getPort() + "\n");
        Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
    }
}
