package io.tagalong.smoke.mdc;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import io.tagalong.StorageHeaders;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * SLF4J 2 with Logback: MDC entries, then OpenTelemetry baggage, then a StorageHeaders scope name the same header.
 * Argument: a base URL. MDC requestId=r-1, team=mdc, unmapped=u: GET base/mdc; with baggage team=baggage current:
 * GET base/baggage; inside a scope X-Team=holder as well: GET base/holder; after MDC.clear(): GET base/cleared.
 */
public final class MdcPrecedence {
    private static final Logger log = LoggerFactory.getLogger(MdcPrecedence.class);

    public static void main(String[] args) throws Exception {
        String base = args[0];
        MDC.put("requestId", "r-1");
        MDC.put("team", "mdc");
        MDC.put("unmapped", "u");
        log.info("MDC set; backend {}", LoggerFactory.getILoggerFactory().getClass().getName());
        get(base + "/mdc");
        try (Scope baggage = Baggage.builder().put("team", "baggage").build().makeCurrent()) {
            get(base + "/baggage");
            try (StorageHeaders.Scope holder = StorageHeaders.with("X-Team", "holder")) {
                get(base + "/holder");
            }
        }
        MDC.clear();
        get(base + "/cleared");
    }

    static void get(String url) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        int status = connection.getResponseCode();
        try (InputStream in = connection.getInputStream()) {
            in.readAllBytes();
        }
        log.info("GET {} -> {}", url, status);
        if (status / 100 != 2) System.exit(3);
    }
}
