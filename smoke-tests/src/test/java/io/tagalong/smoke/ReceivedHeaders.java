package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

/** Assertions on the headers a request carried when it reached the server (names compare case-insensitively). */
public final class ReceivedHeaders {
    private ReceivedHeaders() {}

    /** Every value the header arrived with: one per header line. */
    public static List<String> values(LoggedRequest request, String name) {
        HttpHeader header = request.getHeaders().getHeader(name);
        return header.isPresent() ? header.values() : List.of();
    }

    /** The header arrived exactly once, with exactly this value. */
    public static void assertHeaderOnce(LoggedRequest request, String name, String value) {
        assertThat(values(request, name)).as("values of %s received by %s %s\n%s",
                name, request.getMethod(), request.getAbsoluteUrl(), request.getHeaders()).containsExactly(value);
    }

    /** The header did not arrive at all. */
    public static void assertNoHeader(LoggedRequest request, String name) {
        assertThat(values(request, name)).as("values of %s received by %s %s\n%s",
                name, request.getMethod(), request.getAbsoluteUrl(), request.getHeaders()).isEmpty();
    }
}
