package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A WireMock server standing in for object storage: http and https (self-signed) on free ports, 200 to
 * everything unless a test adds stubs, every request recorded. One per test class
 * ({@code @RegisterExtension static final StorageServer storage = new StorageServer();}); the journal and
 * extra stubs are reset before each test.
 */
public final class StorageServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private WireMockServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        // Room for the oversize-header tests: Jetty's default 8 KiB would answer 431 before WireMock records.
        server = new WireMockServer(options().dynamicPort().dynamicHttpsPort().jettyHeaderRequestSize(64 * 1024));
        server.start();
        stubDefault();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.resetAll();
        stubDefault();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop();
    }

    private void stubDefault() {
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    public WireMockServer wiremock() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:<port><path>} */
    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** {@code https://127.0.0.1:<httpsPort><path>} */
    public String httpsUrl(String path) {
        return "https://127.0.0.1:" + server.httpsPort() + path;
    }

    /** {@code http://<host>:<port><path>}: the host must be mapped with {@link ChildJvm#hostsOnLoopback}. */
    public String urlOn(String host, String path) {
        return "http://" + host + ":" + server.port() + path;
    }

    /** The URL prefix target that makes this server's requests storage requests. */
    public String prefixTarget() {
        return url("/");
    }

    /** Every request received on this path (any method, any query). */
    public List<LoggedRequest> received(String path) {
        return server.findAll(anyRequestedFor(urlPathEqualTo(path)));
    }

    /** The one request received on this path; fails if there were none or several. */
    public LoggedRequest receivedOnce(String path) {
        List<LoggedRequest> requests = received(path);
        assertThat(requests).as("requests received on %s (all received: %s)", path, allPaths()).hasSize(1);
        return requests.get(0);
    }

    /** Every request received on this host name (Host header, port ignored). */
    public List<LoggedRequest> receivedOn(String host) {
        return server.getAllServeEvents().stream().map(com.github.tomakehurst.wiremock.stubbing.ServeEvent::getRequest)
                .filter(request -> request.getHost().equalsIgnoreCase(host)).toList();
    }

    /** The one request received on this host name (Host header, port ignored) and path. */
    public LoggedRequest receivedOnce(String host, String path) {
        List<LoggedRequest> requests = received(path).stream()
                .filter(request -> request.getHost().equalsIgnoreCase(host)).toList();
        assertThat(requests).as("requests received for %s%s (all received: %s)", host, path, allPaths()).hasSize(1);
        return requests.get(0);
    }

    private List<String> allPaths() {
        return server.getAllServeEvents().stream()
                .map(event -> event.getRequest().getMethod() + " " + event.getRequest().getHost() + event.getRequest().getUrl())
                .toList();
    }
}
