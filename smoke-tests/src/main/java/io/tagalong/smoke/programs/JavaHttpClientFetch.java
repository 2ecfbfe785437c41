package io.tagalong.smoke.programs;

import io.tagalong.StorageHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * java.net.http.HttpClient requests, one per argument: {@code send|sendAsync URL [scope=Name:value] [header=Name:value]}.
 * <ul>
 *   <li>{@code scope}: the request is sent inside a {@link StorageHeaders} scope holding that header. With
 *       {@code sendAsync} the client's executor is held until the scope has closed, so the request (and any redirect)
 *       is written after it.</li>
 *   <li>{@code header}: the program sets the header on the HttpRequest itself.</li>
 * </ul>
 * Redirects are followed ({@code Redirect.NORMAL}). Prints {@code MODE URL -> status}; exit 3 when one is not 2xx.
 */
public final class JavaHttpClientFetch {
    private JavaHttpClientFetch() {}

    public static void main(String[] args) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        HttpClient client = HttpClient.newBuilder().executor(executor).followRedirects(HttpClient.Redirect.NORMAL).build();
        boolean allOk = true;
        for (String spec : args) {
            String[] words = spec.trim().split(" +");
            String mode = words[0], url = words[1];
            Map<String, String> scope = Map.of();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
            for (int i = 2; i < words.length; i++) {
                String[] option = words[i].split("=", 2);
                String[] header = option[1].split(":", 2);
                if (option[0].equals("scope")) scope = Map.of(header[0], header[1]);
                else if (option[0].equals("header")) request.header(header[0], header[1]);
                else throw new IllegalArgumentException("unknown option " + words[i]);
            }
            int status;
            if (mode.equals("send")) {
                try (StorageHeaders.Scope ignored = StorageHeaders.with(scope)) {
                    status = client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                }
            } else if (mode.equals("sendAsync")) {
                CountDownLatch scopeClosed = new CountDownLatch(1);
                executor.execute(() -> {
                    try {
                        scopeClosed.await(); // the executor writes nothing before the scope has closed
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                CompletableFuture<HttpResponse<String>> response;
                try (StorageHeaders.Scope ignored = StorageHeaders.with(scope)) {
                    response = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
                }
                scopeClosed.countDown();
                status = response.join().statusCode();
            } else {
                throw new IllegalArgumentException("unknown mode " + mode);
            }
            boolean ok = status / 100 == 2;
            System.out.println(mode + " " + url + " -> " + status + (ok ? "" : " UNEXPECTED"));
            allOk &= ok;
        }
        executor.shutdown();
        System.exit(allOk ? 0 : 3);
    }
}
