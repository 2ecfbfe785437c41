package io.tagalong.smoke.apps;

import io.tagalong.StorageHeaders;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.client.LaxRedirectStrategy;
import org.apache.http.impl.nio.client.CloseableHttpAsyncClient;
import org.apache.http.impl.nio.client.HttpAsyncClients;
import org.apache.http.message.BasicHttpEntityEnclosingRequest;
import org.apache.http.message.BasicHttpRequest;
import org.apache.http.nio.client.methods.HttpAsyncMethods;
import org.apache.http.nio.protocol.BasicAsyncResponseConsumer;
import org.apache.http.util.EntityUtils;

/**
 * Sends requests with Apache HttpClient 4 (classic) and HttpAsyncClient 4 (async). Each argument is one request:
 * {@code MODE METHOD URL [header=Name:value] [scope=Name:value] [expect=status]}; modes name the API used:
 * classic, classic-lax, classic-host, classic-handler, classic-host-handler, async, async-producer, async-gated.
 * {@code scope=} runs the call inside a StorageHeaders scope, closed before an async response is awaited;
 * async-gated makes the I/O thread write the request only after that scope has closed. Exits 3 when a status is
 * not the expected one (2xx unless told).
 */
public final class ApacheHttpClient4Program {
    public static void main(String[] args) throws Exception {
        // The client logs retried I/O exceptions at INFO; the smoke tests read this output for the agent's lines only.
        System.setProperty("org.apache.commons.logging.Log", "org.apache.commons.logging.impl.NoOpLog");
        boolean ok = true;
        try (CloseableHttpClient classic = HttpClients.createDefault();
             CloseableHttpClient lax = HttpClients.custom().setRedirectStrategy(new LaxRedirectStrategy()).build();
             CloseableHttpAsyncClient async = HttpAsyncClients.createDefault();
             CloseableHttpAsyncClient gated = HttpAsyncClients.custom().setMaxConnTotal(1).setMaxConnPerRoute(1).build()) {
            async.start();
            gated.start();
            for (String arg : args) {
                Spec spec = new Spec(arg);
                int status;
                try (StorageHeaders.Scope scope = spec.scopeName == null ? null : StorageHeaders.with(spec.scopeName, spec.scopeValue)) {
                    status = send(spec, spec.mode.equals("classic-lax") ? lax : classic, async, gated, scope);
                }
                boolean expected = spec.expect == 0 ? status / 100 == 2 : status == spec.expect;
                System.out.println("status " + status + " " + arg);
                ok &= expected;
            }
        }
        System.exit(ok ? 0 : 3);
    }

    private static int send(Spec spec, CloseableHttpClient classic, CloseableHttpAsyncClient async,
                            CloseableHttpAsyncClient gated, StorageHeaders.Scope scope) throws Exception {
        URI uri = URI.create(spec.url);
        HttpHost host = new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme());
        switch (spec.mode) {
            case "classic":
            case "classic-lax": // follows a 307 of a POST by copying the request it sent
                try (CloseableHttpResponse response = classic.execute(spec.uriRequest())) {
                    EntityUtils.consume(response.getEntity());
                    return response.getStatusLine().getStatusCode();
                }
            case "classic-host":
                try (CloseableHttpResponse response = classic.execute(host, spec.hostRequest())) {
                    EntityUtils.consume(response.getEntity());
                    return response.getStatusLine().getStatusCode();
                }
            case "classic-handler":
                return classic.execute(spec.uriRequest(), ApacheHttpClient4Program::statusOf);
            case "classic-host-handler":
                return classic.execute(host, spec.hostRequest(), ApacheHttpClient4Program::statusOf, HttpClientContext.create());
            case "async": {
                Future<HttpResponse> future = async.execute(spec.uriRequest(), null);
                close(scope);
                return future.get().getStatusLine().getStatusCode();
            }
            case "async-producer": {
                Future<HttpResponse> future = async.execute(HttpAsyncMethods.create(host, spec.hostRequest()),
                        HttpAsyncMethods.createConsumer(), null);
                close(scope);
                return future.get().getStatusLine().getStatusCode();
            }
            case "async-gated": {
                // The gated client has one connection: a first request holds it, its response stuck on the I/O thread
                // until the gate opens, so the second request is written only after the scope below has closed.
                CountDownLatch gate = new CountDownLatch(1);
                Future<HttpResponse> holder = gated.execute(HttpAsyncMethods.create(host, new BasicHttpRequest("GET", "/gate")),
                        new GatedConsumer(gate), null);
                Future<HttpResponse> future = gated.execute(spec.uriRequest(), null);
                close(scope);
                gate.countDown();
                holder.get();
                return future.get().getStatusLine().getStatusCode();
            }
            default:
                throw new IllegalArgumentException("unknown mode " + spec.mode);
        }
    }

    private static int statusOf(HttpResponse response) throws java.io.IOException {
        EntityUtils.consume(response.getEntity());
        return response.getStatusLine().getStatusCode();
    }

    private static void close(StorageHeaders.Scope scope) {
        if (scope != null) scope.close(); // closing twice (again at the end of the try) is harmless
    }

    /** Holds its connection (and the I/O thread) until the gate opens. */
    private static final class GatedConsumer extends BasicAsyncResponseConsumer {
        private final CountDownLatch gate;

        GatedConsumer(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        protected void onResponseReceived(HttpResponse response) throws java.io.IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.onResponseReceived(response);
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

        HttpUriRequest uriRequest() throws Exception {
            RequestBuilder builder = RequestBuilder.create(method).setUri(url);
            if (method.equals("PUT") || method.equals("POST")) builder.setEntity(new StringEntity("hello"));
            if (headerName != null) builder.addHeader(headerName, headerValue);
            return builder.build();
        }

        /** The request line form for the HttpHost overloads: path and query only. */
        HttpRequest hostRequest() throws Exception {
            URI uri = URI.create(url);
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            HttpRequest request;
            if (method.equals("PUT") || method.equals("POST")) {
                BasicHttpEntityEnclosingRequest withBody = new BasicHttpEntityEnclosingRequest(method, target);
                withBody.setEntity(new StringEntity("hello"));
                request = withBody;
            } else {
                request = new BasicHttpRequest(method, target);
            }
            if (headerName != null) request.addHeader(headerName, headerValue);
            return request;
        }
    }
}
