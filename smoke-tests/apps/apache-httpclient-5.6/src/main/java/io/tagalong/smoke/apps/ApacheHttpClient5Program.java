package io.tagalong.smoke.apps;

import io.tagalong.StorageHeaders;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Sends requests with Apache HttpClient 5. Each argument is one request:
 * {@code MODE METHOD URL [header=Name:value] [scope=Name:value] [expect=status]}; modes name the API used:
 * classic, classic-host, classic-open (classic), async (SimpleHttpRequest), async-producer (producer/consumer),
 * async-gated, h2, h2-gated (the HTTP/2 client, h2c with prior knowledge). {@code scope=} runs the call inside a
 * StorageHeaders scope, closed before an async response is awaited; the gated modes make the I/O thread write the
 * request only after that scope has closed. Prints the protocol version of each response; exits 3 when a status is
 * not the expected one (2xx unless told).
 */
public final class ApacheHttpClient5Program {
    public static void main(String[] args) throws Exception {
        boolean ok = true;
        try (CloseableHttpClient classic = HttpClients.createDefault();
             CloseableHttpAsyncClient async = HttpAsyncClients.createDefault();
             CloseableHttpAsyncClient gated = HttpAsyncClients.custom().setConnectionManager(
                     PoolingAsyncClientConnectionManagerBuilder.create().setMaxConnTotal(1).setMaxConnPerRoute(1).build()).build();
             CloseableHttpAsyncClient h2 = HttpAsyncClients.createHttp2Default()) {
            async.start();
            gated.start();
            h2.start();
            for (String arg : args) {
                Spec spec = new Spec(arg);
                String result;
                try (StorageHeaders.Scope scope = spec.scopeName == null ? null : StorageHeaders.with(spec.scopeName, spec.scopeValue)) {
                    result = send(spec, classic, async, gated, h2, scope);
                }
                int status = Integer.parseInt(result.substring(0, 3));
                boolean expected = spec.expect == 0 ? status / 100 == 2 : status == spec.expect;
                System.out.println("status " + result + " " + arg);
                ok &= expected;
            }
        }
        System.exit(ok ? 0 : 3);
    }

    /** "status version" */
    private static String send(Spec spec, CloseableHttpClient classic, CloseableHttpAsyncClient async,
                               CloseableHttpAsyncClient gated, CloseableHttpAsyncClient h2, StorageHeaders.Scope scope) throws Exception {
        URI uri = URI.create(spec.url);
        HttpHost host = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
        switch (spec.mode) {
            case "classic":
                return classic.execute(spec.classicRequest(), ApacheHttpClient5Program::statusOf);
            case "classic-host":
                return classic.execute(host, spec.classicRequest(), ApacheHttpClient5Program::statusOf);
            case "classic-open":
                try (ClassicHttpResponse response = classic.executeOpen(host, spec.classicRequest(), HttpClientContext.create())) {
                    return statusOf(response);
                }
            case "async":
                return awaitAfterClose(async.execute(spec.simpleRequest(), null), scope);
            case "async-producer":
                return awaitAfterClose(async.execute(spec.producer(), SimpleResponseConsumer.create(), null), scope);
            case "h2":
                return awaitAfterClose(h2.execute(spec.simpleRequest(), null), scope);
            case "async-gated":
            case "h2-gated": {
                // The first request's response is held on the I/O thread until the gate opens: with one connection
                // (HTTP/1.1) or one multiplexed connection served by that thread (HTTP/2), the second request is
                // written only after the scope below has closed.
                CloseableHttpAsyncClient client = spec.mode.startsWith("h2") ? h2 : gated;
                CountDownLatch gate = new CountDownLatch(1);
                Future<SimpleHttpResponse> holder = client.execute(
                        SimpleRequestProducer.create(SimpleRequestBuilder.get(uri.resolve("/gate")).build()), new GatedConsumer(gate), null);
                Future<SimpleHttpResponse> future = client.execute(spec.simpleRequest(), null);
                if (scope != null) scope.close();
                gate.countDown();
                holder.get();
                return describe(future.get());
            }
            default:
                throw new IllegalArgumentException("unknown mode " + spec.mode);
        }
    }

    private static String awaitAfterClose(Future<SimpleHttpResponse> future, StorageHeaders.Scope scope) throws Exception {
        if (scope != null) scope.close(); // closing twice (again at the end of the try) is harmless
        return describe(future.get());
    }

    private static String describe(SimpleHttpResponse response) {
        return response.getCode() + " " + response.getVersion();
    }

    private static String statusOf(ClassicHttpResponse response) throws IOException {
        EntityUtils.consume(response.getEntity());
        return response.getCode() + " " + response.getVersion();
    }

    /** Holds the I/O thread (and so its connection) until the gate opens. */
    private static final class GatedConsumer implements AsyncResponseConsumer<SimpleHttpResponse> {
        private final AsyncResponseConsumer<SimpleHttpResponse> delegate = SimpleResponseConsumer.create();
        private final CountDownLatch gate;

        GatedConsumer(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context,
                                    FutureCallback<SimpleHttpResponse> resultCallback) throws HttpException, IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delegate.consumeResponse(response, entityDetails, context, resultCallback);
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext context) throws HttpException, IOException {
            delegate.informationResponse(response, context);
        }

        @Override
        public void failed(Exception cause) {
            delegate.failed(cause);
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            delegate.updateCapacity(capacityChannel);
        }

        @Override
        public void consume(ByteBuffer src) throws IOException {
            delegate.consume(src);
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
            delegate.streamEnd(trailers);
        }

        @Override
        public void releaseResources() {
            delegate.releaseResources();
        }
    }

    private static final class Spec {
        final String mode, method, url;
        String headerName, headerValue, scopeName, scopeValue;
        int expect;

        Spec(String arg) {
            String[] words = arg.split(" ");
            mode = words[0];
            method = words[1];
            url = words[2];
            for (int i = 3; i < words.length; i++) {
                String w = words[i];
                if (w.startsWith("header=")) {
                    headerName = w.substring(7, w.indexOf(':'));
                    headerValue = w.substring(w.indexOf(':') + 1);
                } else if (w.startsWith("scope=")) {
                    scopeName = w.substring(6, w.indexOf(':'));
                    scopeValue = w.substring(w.indexOf(':') + 1);
                } else if (w.startsWith("expect=")) {
                    expect = Integer.parseInt(w.substring(7));
                } else {
                    throw new IllegalArgumentException("unknown option " + w);
                }
            }
        }

        private boolean hasBody() {
            return method.equals("PUT") || method.equals("POST");
        }

        ClassicHttpRequest classicRequest() {
            ClassicRequestBuilder builder = ClassicRequestBuilder.create(method).setUri(url);
            if (hasBody()) builder.setEntity(new StringEntity("hello"));
            if (headerName != null) builder.addHeader(headerName, headerValue);
            return builder.build();
        }

        SimpleHttpRequest simpleRequest() {
            SimpleRequestBuilder builder = SimpleRequestBuilder.create(method).setUri(url);
            if (hasBody()) builder.setBody("hello", ContentType.TEXT_PLAIN);
            if (headerName != null) builder.addHeader(headerName, headerValue);
            return builder.build();
        }

        org.apache.hc.core5.http.nio.AsyncRequestProducer producer() {
            AsyncRequestBuilder builder = AsyncRequestBuilder.create(method).setUri(url);
            if (hasBody()) builder.setEntity(new StringAsyncEntityProducer("hello"));
            if (headerName != null) builder.addHeader(headerName, headerValue);
            return builder.build();
        }
    }
}
