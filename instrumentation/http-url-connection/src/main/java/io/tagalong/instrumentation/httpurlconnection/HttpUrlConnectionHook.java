package io.tagalong.instrumentation.httpurlconnection;

import java.net.HttpURLConnection;

/** STUB: called at the entry of sun.net.www.protocol.http.HttpURLConnection#writeRequests(). */
public final class HttpUrlConnectionHook {
    private HttpUrlConnectionHook() {}

    /**
     * @param connection the connection about to write one request (each hop and retry calls this)
     * @param requests   its {@code sun.net.www.MessageHeader} of request headers
     */
    public static void beforeWriteRequests(HttpURLConnection connection, Object requests) {}
}
