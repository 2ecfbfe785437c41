package io.tagalong.instrumentation.httpurlconnection;

import java.util.List;
import java.util.Map;

/**
 * What the agent adds to {@code sun.net.www.protocol.http.HttpURLConnection} when it loads: its request headers
 * (the {@code sun.net.www.MessageHeader} in its {@code requests} field) through methods of the connection itself, in
 * {@code java.base}, so the hook calls no JDK internal and no package is exported to it. Each method calls the one of
 * the same name on {@code requests}.
 */
public interface RequestHeaders {
    String tagalong$findValue(String name);

    void tagalong$remove(String name);

    void tagalong$add(String name, String value);

    Map<String, List<String>> tagalong$getHeaders();
}
