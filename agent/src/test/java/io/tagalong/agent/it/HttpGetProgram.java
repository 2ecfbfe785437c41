package io.tagalong.agent.it;

import com.sun.net.httpserver.HttpServer;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;

/**
 * A child-JVM program for the agent jar tests: serves one path on a local port and GETs it with HttpURLConnection,
 * {@code args[0]} times (default 1), pausing {@code args[1]} ms before each request (default 0), so that an agent can
 * be attached in between. Prints one line per response.
 */
public final class HttpGetProgram {
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        long pauseMillis = args.length > 1 ? Long.parseLong(args[1]) : 0;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        // Loads the patched fork/join and thread-pool classes too (checked with the JVM's verifier on by AgentJarIT).
        System.out.println("fork/join " + java.util.concurrent.ForkJoinPool.commonPool().submit(() -> 1).get());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        System.out.println("pool " + pool.submit(() -> 2).get());
        pool.shutdown();
        try {
            URL url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/bucket/key");
            for (int i = 0; i < requests; i++) {
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
                HttpURLConnection connection = (HttpURLConnection) url.openConnection();
                try (InputStream in = connection.getInputStream()) {
                    System.out.println("response " + connection.getResponseCode() + " " + new String(in.readAllBytes()));
                }
            }
        } finally {
            server.stop(0);
        }
    }
}
