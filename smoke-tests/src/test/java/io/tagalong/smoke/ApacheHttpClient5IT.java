package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.List;

/** Apache HttpClient 5.6.5 (the first check also on 5.0): classic, async (SimpleHttpRequest, producer/consumer) over HTTP/1.1, and the HTTP/2 client. */
class ApacheHttpClient5IT extends ApacheHttpClientChecks {
    @Override
    String app() {
        return "apache-httpclient-5.6";
    }

    @Override
    String oldestApp() {
        return "apache-httpclient-5-oldest";
    }

    @Override
    String program() {
        return "io.tagalong.smoke.apps.ApacheHttpClient5Program";
    }

    @Override
    String instrumentation() {
        return "apache-httpclient-5";
    }

    @Override
    List<String> modes() {
        return List.of("classic", "classic-host", "classic-open", "async", "async-producer", "h2");
    }

    @Override
    List<String> retryingModes() {
        return List.of("classic", "async");
    }

    /** 503 with Retry-After: the default retry strategy of both clients retries the idempotent GET. */
    @Override
    ResponseDefinitionBuilder answerThatIsRetried() {
        return aResponse().withStatus(503).withHeader("Retry-After", "0");
    }

    @Override
    List<String> postRedirectModes() {
        return List.of("classic", "async");
    }

    @Override
    List<String> classicAndAsync() {
        return List.of("classic", "async");
    }

    /** The HTTP/2 client (h2c, prior knowledge) really speaks HTTP/2 to the server, and the header arrives once. */
    @OnEveryJdk
    void http2CarriesTheCallersScopeOnce(Jdk jdk) {
        ChildResult result = ChildJvm.withAgent(jdk).app(app())
                .property("tagalong.targets", storage.prefixTarget())
                .run(program(), "h2-gated GET " + storage.url("/h2-gated") + " scope=X-Job:job-8")
                .assertCleanRun();

        assertThat(result.stdout()).as("protocol of the response\n%s", result).contains("status 200 HTTP/2");
        assertHeaderOnce(storage.receivedOnce("/h2-gated"), "X-Job", "job-8");
    }

    /** The async exec chain's protocol interceptors add the User-Agent on the I/O thread, after the hook. */
    @Override
    List<String> userAgentSetLater() {
        return List.of("async", "async-producer", "h2");
    }
}
