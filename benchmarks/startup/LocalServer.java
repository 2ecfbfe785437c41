import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The start-up benchmark's server, on loopback. {@code GET /hello} answers with the X-Team header it received
 * ("x-team=none" without one), so the script can check that a variant's request really was instrumented. Every other
 * path is a minimal S3 (path style, no signature check): PUT bucket, PUT/GET/HEAD/DELETE object; a GET object answers
 * the same text as metadata {@code seen-team}. Writes its port to the file named by args[0], then serves until killed.
 */
public final class LocalServer {
    private static final Map<String, byte[]> OBJECTS = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            try {
                handle(exchange);
            } finally {
                exchange.close();
            }
        });
        server.start();
        // Written then renamed, so the script never reads a half-written file.
        Path portFile = Paths.get(args[0]);
        Path partial = Paths.get(args[0] + ".partial");
        Files.write(partial, (server.getAddress().getPort() + "\n").getBytes(StandardCharsets.UTF_8));
        Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String team = exchange.getRequestHeaders().getFirst("X-Team");
        String seen = "x-team=" + (team == null ? "none" : team);
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        byte[] body = readAll(exchange.getRequestBody());
        if (path.equals("/hello")) {
            send(exchange, 200, seen.getBytes(StandardCharsets.UTF_8));
        } else if (path.indexOf('/', 1) < 0) { // a bucket
            send(exchange, 200, new byte[0]);
        } else if (method.equals("PUT")) {
            OBJECTS.put(path, body);
            exchange.getResponseHeaders().set("ETag", "\"" + Integer.toHexString(java.util.Arrays.hashCode(body)) + "\"");
            send(exchange, 200, new byte[0]);
        } else if (method.equals("DELETE")) {
            OBJECTS.remove(path);
            exchange.sendResponseHeaders(204, -1);
        } else {
            byte[] object = OBJECTS.get(path);
            if (object == null) {
                send(exchange, 404, new byte[0]);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.getResponseHeaders().set("ETag", "\"" + Integer.toHexString(java.util.Arrays.hashCode(object)) + "\"");
            exchange.getResponseHeaders().set("x-amz-meta-seen-team", seen);
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", String.valueOf(object.length));
                exchange.sendResponseHeaders(200, -1);
            } else {
                send(exchange, 200, object);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n);
        return out.toByteArray();
    }
}
