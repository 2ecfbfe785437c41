package io.tagalong.smoke.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A service with no OpenTelemetry and no Tagalong code. Arguments: the storage base URL and a port. It serves
 * {@code GET /save?key=K} on 127.0.0.1 at that port (then prints "listening"): the handler writes {@code PUT base/K} to
 * storage from a thread pool, waits for it and answers with the storage status. {@code GET /stop} ends it.
 */
public final class StorageService {
    public static void main(String[] args) throws Exception {
        String storage = args[0];
        ExecutorService writers = Executors.newFixedThreadPool(2);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 0);
        server.createContext("/save", exchange -> {
            String key = exchange.getRequestURI().getQuery().replace("key=", "");
            Future<Integer> written = writers.submit(() -> put(storage + "/" + key));
            int status;
            try {
                status = written.get();
            } catch (Exception failed) {
                status = 599;
            }
            answer(exchange, status == 200 ? 200 : 502, "storage answered " + status);
        });
        server.createContext("/stop", exchange -> {
            answer(exchange, 200, "bye");
            server.stop(0);
            writers.shutdown();
        });
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
    }

    private static int put(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setRequestMethod("PUT");
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
            out.write("data".getBytes(StandardCharsets.UTF_8));
        }
        try (InputStream in = connection.getInputStream()) {
            in.readAllBytes();
        }
        return connection.getResponseCode();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
