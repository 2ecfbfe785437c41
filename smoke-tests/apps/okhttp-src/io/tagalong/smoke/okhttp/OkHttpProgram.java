package io.tagalong.smoke.okhttp;

import io.tagalong.StorageHeaders;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp requests, one per argument: {@code execute|enqueue URL [scope=Name:value] [header=Name:value]
 * [interceptor=Name:value]}, all through one client built at the start; or {@code attach}: print
 * {@code waiting for attach} and wait for a line on stdin (sent once the agent is attached at run time).
 * <ul>
 *   <li>{@code scope}: the call is made inside a {@link StorageHeaders} scope holding that header. An enqueued call
 *       runs on the dispatcher's thread only after the scope has closed (the thread is held until then).</li>
 *   <li>{@code header}: the program sets the header on the request itself (as an SDK layer above would).</li>
 *   <li>{@code interceptor}: the call goes through a copy of the client ({@code newBuilder()}) with an application
 *       interceptor that sets the header.</li>
 * </ul>
 * Redirects are followed (OkHttp's default). Prints {@code MODE URL -> status}; exit 3 when a status is not 2xx.
 */
public final class OkHttpProgram {
    private OkHttpProgram() {}

    public static void main(String[] args) throws Exception {
        ExecutorService dispatcherThread = Executors.newSingleThreadExecutor();
        OkHttpClient client = new OkHttpClient.Builder().dispatcher(new Dispatcher(dispatcherThread)).build();
        boolean allOk = true;
        for (String spec : args) {
            if (spec.equals("attach")) {
                System.out.println("waiting for attach");
                System.out.flush();
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
                continue;
            }
            allOk &= run(client, dispatcherThread, spec.trim().split(" +"));
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        System.exit(allOk ? 0 : 3);
    }

    private static boolean run(OkHttpClient client, ExecutorService dispatcherThread, String[] words) throws Exception {
        String mode = words[0], url = words[1];
        String[] scope = null;
        Request.Builder request = new Request.Builder().url(url);
        OkHttpClient caller = client;
        for (int i = 2; i < words.length; i++) {
            String[] option = words[i].split("=", 2);
            final String[] header = option[1].split(":", 2);
            if (option[0].equals("scope")) {
                scope = header;
            } else if (option[0].equals("header")) {
                request.header(header[0], header[1]);
            } else if (option[0].equals("interceptor")) {
                caller = client.newBuilder()
                        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header(header[0], header[1]).build()))
                        .build();
            } else {
                throw new IllegalArgumentException("unknown option " + words[i]);
            }
        }
        Call call = caller.newCall(request.build());
        int status;
        if (mode.equals("execute")) {
            try (StorageHeaders.Scope ignored = open(scope); Response response = call.execute()) {
                response.body().string();
                status = response.code();
            }
        } else if (mode.equals("enqueue")) {
            CountDownLatch scopeClosed = new CountDownLatch(1);
            dispatcherThread.execute(() -> await(scopeClosed)); // the dispatcher thread waits for the scope to close
            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<String> result = new AtomicReference<>("no response");
            try (StorageHeaders.Scope ignored = open(scope)) {
                call.enqueue(new Callback() {
                    @Override
                    public void onFailure(Call c, IOException e) {
                        result.set("failed: " + e.getMessage());
                        done.countDown();
                    }

                    @Override
                    public void onResponse(Call c, Response response) throws IOException {
                        try (Response r = response) {
                            r.body().string();
                            result.set(Integer.toString(r.code()));
                        }
                        done.countDown();
                    }
                });
            }
            scopeClosed.countDown();
            done.await();
            System.out.println("enqueue " + url + " answered on the dispatcher thread, scope held now: " + StorageHeaders.current());
            status = result.get().matches("\\d+") ? Integer.parseInt(result.get()) : -1;
            if (status < 0) System.out.println(result.get());
        } else {
            throw new IllegalArgumentException("unknown mode " + mode);
        }
        boolean ok = status / 100 == 2;
        System.out.println(mode + " " + url + " -> " + status + (ok ? "" : " UNEXPECTED"));
        return ok;
    }

    private static StorageHeaders.Scope open(String[] header) {
        return header == null ? StorageHeaders.with(java.util.Collections.<String, String>emptyMap()) : StorageHeaders.with(header[0], header[1]);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
