package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.tagalong.smoke.ReceivedHeaders.assertHeaderOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tagalong.smoke.programs.Fetch;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every way a program drives HttpURLConnection: each request leaves with the header exactly once. */
class HttpUrlConnectionIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();

    @OnEveryJdk
    void everyRequestShapeCarriesTheHeaderOnce(Jdk jdk) {
        storage.wiremock().stubFor(get("/error").willReturn(aResponse().withStatus(500)));
        // The first attempt gets a closed connection; HttpURLConnection retries a GET once by itself.
        storage.wiremock().stubFor(get("/retry").inScenario("retry").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("answered"));
        storage.wiremock().stubFor(get("/retry").inScenario("retry").whenScenarioStateIs("answered")
                .willReturn(aResponse().withStatus(200)));

        ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget() + "," + storage.httpsUrl("/"))
                .property("tagalong.headers", "X-Team=ml")
                .run(Fetch.class,
                        "GET " + storage.url("/implicit-connect"),
                        "GET " + storage.url("/explicit-connect") + " connect",
                        "POST " + storage.url("/post-fixed") + " body=fixed",
                        "POST " + storage.url("/post-chunked") + " body=chunked",
                        "POST " + storage.url("/post-buffered") + " body=buffered",
                        "PUT " + storage.url("/put-fixed-explicit-connect") + " body=fixed connect",
                        "GET " + storage.url("/error") + " expect=500",
                        "GET " + storage.url("/retry"),
                        "GET " + storage.httpsUrl("/https-get"),
                        "POST " + storage.httpsUrl("/https-post-chunked") + " body=chunked connect")
                .assertCleanRun();

        List<String> once = List.of("/implicit-connect", "/explicit-connect", "/post-fixed", "/post-chunked",
                "/post-buffered", "/put-fixed-explicit-connect", "/error", "/https-get", "/https-post-chunked");
        List<LoggedRequest> retried = storage.received("/retry");
        assertAll(Stream.of(
                once.stream().map(path -> (Executable) () -> assertHeaderOnce(storage.receivedOnce(path), "X-Team", "ml")),
                Stream.of((Executable) () -> assertThat(retried).as("attempts at /retry").hasSize(2)),
                retried.stream().map(request -> (Executable) () -> assertHeaderOnce(request, "X-Team", "ml")),
                Stream.of("/post-fixed", "/post-chunked", "/post-buffered", "/put-fixed-explicit-connect", "/https-post-chunked")
                        .map(path -> (Executable) () -> assertThat(storage.receivedOnce(path).getBodyAsString())
                                .as("body received on %s", path).isEqualTo("hello storage"))
        ).flatMap(s -> s));
    }
}
