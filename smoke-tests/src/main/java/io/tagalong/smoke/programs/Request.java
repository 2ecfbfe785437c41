package io.tagalong.smoke.programs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One HttpURLConnection request, described by a spec string the tests pass as a program argument:
 * {@code METHOD URL [body=none|fixed|chunked|buffered] [connect] [header=Name:percent-encoded-value]... [expect=status]}.
 * <ul>
 *   <li>{@code body=fixed}: setFixedLengthStreamingMode; {@code chunked}: setChunkedStreamingMode;
 *       {@code buffered}: a body without a streaming mode (the JDK buffers it).</li>
 *   <li>{@code connect}: call connect() explicitly before writing or reading; otherwise it is implicit.</li>
 *   <li>{@code expect}: the status the request must end with (after redirects); without it, any 2xx.</li>
 *   <li>An error status makes getInputStream throw; the program then calls getResponseCode, as callers do.</li>
 * </ul>
 * Prints one line {@code METHOD URL -> status}, with {@code UNEXPECTED} when it is not the expected one. Never prints exception names: the tests look for them.
 */
final class Request {
    private static final byte[] BODY = "hello storage".getBytes(StandardCharsets.UTF_8);

    final String method;
    final String url;
    String body = "none";
    boolean explicitConnect;
    int expectedStatus; // 0: any 2xx
    final List<String[]> headers = new ArrayList<>();

    private Request(String method, String url) {
        this.method = method;
        this.url = url;
    }

    static Request parse(String spec) {
        String[] words = spec.trim().split(" +");
        Request request = new Request(words[0], words[1]);
        for (int i = 2; i < words.length; i++) {
            String word = words[i];
            if (word.startsWith("body=")) {
                request.body = word.substring("body=".length());
            } else if (word.startsWith("expect=")) {
                request.expectedStatus = Integer.parseInt(word.substring("expect=".length()));
            } else if (word.equals("connect")) {
                request.explicitConnect = true;
            } else if (word.startsWith("header=")) {
                String header = word.substring("header=".length());
                int colon = header.indexOf(':');
                request.headers.add(new String[] {
                        header.substring(0, colon),
                        URLDecoder.decode(header.substring(colon + 1), StandardCharsets.UTF_8)});
            } else {
                throw new IllegalArgumentException("unknown option " + word + " in " + spec);
            }
        }
        return request;
    }

    /** Sends the request; returns false when its final status is not the expected one. */
    boolean send() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setRequestMethod(method);
        for (String[] header : headers) {
            connection.setRequestProperty(header[0], header[1]);
        }
        if (!body.equals("none")) {
            connection.setDoOutput(true);
            if (body.equals("fixed")) {
                connection.setFixedLengthStreamingMode(BODY.length);
            } else if (body.equals("chunked")) {
                connection.setChunkedStreamingMode(4);
            } else if (!body.equals("buffered")) {
                throw new IllegalArgumentException("unknown body mode " + body);
            }
        }
        if (explicitConnect) {
            connection.connect();
        }
        if (!body.equals("none")) {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(BODY);
            }
        }
        int status;
        String how = "";
        try (InputStream in = connection.getInputStream()) {
            in.readAllBytes();
            status = connection.getResponseCode();
        } catch (IOException errorStatus) {
            status = connection.getResponseCode();
            how = " (getResponseCode after an error)";
            InputStream error = connection.getErrorStream();
            if (error != null) {
                error.readAllBytes();
                error.close();
            }
        }
        boolean expected = expectedStatus == 0 ? status / 100 == 2 : status == expectedStatus;
        System.out.println(method + " " + url + " -> " + status + how + (expected ? "" : " UNEXPECTED"));
        return expected;
    }
}
