package io.tagalong.smoke.mdc17;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Compiled against slf4j-api 1.7; runs with whatever backend the class path binds (slf4j-jdk14, or slf4j-simple 2).
 * Argument: a base URL. MDC requestId=r-17, unmapped=u: GET base/mdc.
 */
public final class MdcFetch {
    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger(MdcFetch.class);
        MDC.put("requestId", "r-17");
        MDC.put("unmapped", "u");
        HttpURLConnection connection = (HttpURLConnection) new URL(args[0] + "/mdc").openConnection();
        int status = connection.getResponseCode();
        try (InputStream in = connection.getInputStream()) {
            in.readAllBytes();
        }
        log.info("GET /mdc -> {} (logger factory {})", status, LoggerFactory.getILoggerFactory().getClass().getName());
        System.out.println("status " + status);
        if (status / 100 != 2) System.exit(3);
    }
}
