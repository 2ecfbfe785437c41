package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.util.List;

/** Apache HttpClient 4.5.14 classic (every execute overload) and HttpAsyncClient 4.1.5; the first check also on 4.5 and 4.1. */
class ApacheHttpClient4IT extends ApacheHttpClientChecks {
    @Override
    String app() {
        return "apache-httpclient-4.5";
    }

    @Override
    String oldestApp() {
        return "apache-httpclient-4-oldest";
    }

    @Override
    String program() {
        return "io.tagalong.smoke.apps.ApacheHttpClient4Program";
    }

    @Override
    String instrumentation() {
        return "apache-httpclient-4";
    }

    @Override
    List<String> modes() {
        return List.of("classic", "classic-host", "classic-handler", "classic-host-handler", "async", "async-producer");
    }

    @Override
    List<String> retryingModes() {
        return List.of("classic");
    }

    /** No response at all: the classic client's RetryExec retries the idempotent GET (HttpAsyncClient 4 never retries). */
    @Override
    ResponseDefinitionBuilder answerThatIsRetried() {
        return aResponse().withFault(Fault.EMPTY_RESPONSE);
    }

    @Override
    List<String> postRedirectModes() {
        return List.of("classic-lax");
    }

    @Override
    List<String> classicAndAsync() {
        return List.of("classic", "async");
    }
}
