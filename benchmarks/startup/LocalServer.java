import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * The start-up benchmark's server: answers every request on loopback with the X-Team header it received
 * ("x-team=none" without one), so the script can check that a variant's request really was instrumented.
 * Writes its port to the file named by args[0], then serves until killed.
 */
public final class LocalServer {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            String team = exchange.getRequestHeaders().getFirst("X-Team");
            byte[] body = ("x-team=" + (team == null ? "none" : team)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        // Written then renamed, so the script never reads a half-written file.
        Path portFile = Paths.get(args[0]);
        Path partial = Paths.get(args[0] + ".partial");
        Files.write(partial, (server.getAddress().getPort() + "\n").getBytes(StandardCharsets.UTF_8));
        Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
    }
}
