package io.tagalong.smoke.otel;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * Baggage set with the application's OpenTelemetry API alone. Argument: a base URL.
 * GET base/before; inside {@code Baggage...makeCurrent()} with team=ml, job=nightly run, secret=x: GET base/in-scope;
 * after the scope closed: GET base/after-close. Exit 3 when a request does not end with a 2xx status.
 */
public final class BaggageFetch {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        get(base + "/before");
        Baggage baggage = Baggage.builder().put("team", "ml").put("job", "nightly run").put("secret", "x").build();
        try (Scope ignored = baggage.makeCurrent()) {
            get(base + "/in-scope");
        }
        get(base + "/after-close");
    }

    static void get(String url) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        int status = connection.getResponseCode();
        try (InputStream in = connection.getInputStream()) {
            in.readAllBytes();
        }
        System.out.println("GET " + url + " -> " + status);
        if (status / 100 != 2) System.exit(3);
    }
}
