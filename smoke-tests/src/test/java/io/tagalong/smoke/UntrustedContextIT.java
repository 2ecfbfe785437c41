package io.tagalong.smoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.tagalong.smoke.S3ProxyServer.Received;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15: untrusted context cannot change what a storage request does. A name chosen by the data (a baggage or MDC
 * key that becomes a header of the same name through an allow glob) is refused when it would change the request:
 * {@code x-amz-*} and {@code x-goog-*} except user metadata and custom audit, the HTTP headers that change how a
 * store reads, writes, caches or serves the object, and a few more. The same names given by the operator (a map
 * entry, {@code tagalong.headers}) are still sent, signed at the SDK layer.
 *
 * <p>Real child JVMs with the agent, real clients, S3Proxy with signatures verified (AWS SDK v2 and v1) and WireMock
 * playing the JSON API (Google Cloud Storage). Every check reads what the server received or stored, or what the
 * program and the agent printed.
 */
class UntrustedContextIT {
    @RegisterExtension static final S3ProxyServer s3 = new S3ProxyServer();
    @RegisterExtension static final StorageServer gcs = new StorageServer();

    static final String AWS2_JOB = "io.tagalong.smoke.aws2.AwsSdk2Job";
    static final String AWS2_BODY_LENGTH = String.valueOf("hello from the AWS SDK v2\n".length());
    static final String AWS1_JOB = "io.tagalong.smoke.aws1.AwsSdk1Job";
    static final String AWS1_BODY_LENGTH = String.valueOf("hello from the AWS SDK v1\n".length());
    static final String GCS_JOB = "io.tagalong.smoke.gcs.GcsJob";
    static final String GCS_BUCKET = "tagalong-bucket";
    static final String GCS_HOST = "storage.googleapis.com";

    /** Names that would change what an S3 request does, with values that would do it. */
    static final Map<String, String> DANGEROUS_S3 = ordered(
            "x-amz-acl", "public-read",
            "x-amz-grant-full-control", "id=attacker",
            "x-amz-copy-source", "/other-bucket/secret",
            "x-amz-website-redirect-location", "/evil",
            "x-amz-tagging", "a=b",
            "x-amz-storage-class", "STANDARD_IA",
            "x-amz-object-lock-mode", "GOVERNANCE",
            "x-amz-request-payer", "requester",
            "x-amz-metadata-directive", "REPLACE",
            "Cache-Control", "no-store",
            "Content-Disposition", "attachment",
            "If-Match", "*",
            "Range", "bytes=0-1");
    /** Names an allow glob may still let through: user metadata and a plain header. */
    static final Map<String, String> HARMLESS_S3 = ordered("x-amz-meta-team", "ml", "X-Tenant", "t1");
    /** Values distinctive enough to search the output for (not "*" or "a=b"). */
    static final List<String> SEARCHABLE_VALUES = List.of("public-read", "id=attacker", "/other-bucket/secret", "/evil",
            "STANDARD_IA", "GOVERNANCE", "requester", "REPLACE", "no-store", "attachment", "bytes=0-1");

    static final List<String> ROUTES = List.of("env", "otel", "mdc");
    static final List<String> AWS1_ROUTES = List.of("env", "mdc");

    /** Names that would change what a Cloud Storage request does (X-HTTP-Method-Override: DELETE turns it into one). */
    static final Map<String, String> DANGEROUS_GCS = ordered(
            "x-goog-acl", "public-read",
            "x-goog-copy-source", "other-bucket/secret",
            "x-goog-metadata-directive", "REPLACE",
            "Cache-Control", "no-store",
            "X-HTTP-Method-Override", "DELETE");
    static final Map<String, String> HARMLESS_GCS = ordered("x-goog-meta-team", "ml", "x-goog-custom-audit-job", "nightly");
    static final List<String> SEARCHABLE_GCS_VALUES = List.of("public-read", "other-bucket/secret", "REPLACE", "no-store", "DELETE");

    /**
     * {@code allow=*} for baggage and MDC: the BAGGAGE variable, the program's OpenTelemetry baggage and its MDC
     * all hold the dangerous names; none arrives, the harmless ones do (signed, stored), the object is stored as
     * if no dangerous name had been there, and each refused name is logged once, without its value.
     */
    @OnEveryJdk
    void awsSdk2AllowStarRefusesEveryDangerousNameFromEveryUntrustedRoute(Jdk jdk) {
        ChildResult result = runAws2(ChildJvm.withAgent(jdk)
                .env("BAGGAGE", baggage(entries(DANGEROUS_S3, HARMLESS_S3, "x-amz-meta-source", "env")))
                .property("tagalong.baggage.allow", "*")
                .property("tagalong.mdc.allow", "*"));

        SoftAssertions soft = new SoftAssertions();
        assertNoDangerousNameArrived(soft, result);
        assertHarmlessNamesArrivedSignedAndStored(soft, result);
        assertStoredAsWithoutContext(soft, result);
        assertS3RefusalsLoggedAndRunClean(soft, result);
    }

    /**
     * A narrower glob, {@code x-amz-*}, is just as dangerous: the x-amz-* names it matches are refused, user metadata
     * is not. The startup warning names each glob that would match a refused name, and only those ({@code X-Tenant}
     * and {@code x-amz-meta-*} match none).
     */
    @OnEveryJdk
    void awsSdk2AllowXAmzStarRefusesTheXAmzNamesAndWarnsAboutTheGlobAtStart(Jdk jdk) {
        ChildResult result = runAws2(ChildJvm.withAgent(jdk)
                .env("BAGGAGE", baggage(entries(DANGEROUS_S3, HARMLESS_S3, "x-amz-meta-source", "env")))
                .property("tagalong.baggage.allow", "x-amz-*,X-Tenant,x-amz-meta-*")
                .property("tagalong.mdc.allow", "x-amz-*,X-Tenant,x-amz-meta-*"));

        SoftAssertions soft = new SoftAssertions();
        assertNoDangerousNameArrived(soft, result);
        assertHarmlessNamesArrivedSignedAndStored(soft, result);
        assertStoredAsWithoutContext(soft, result);
        assertRefusedOnceEach(soft, result, DANGEROUS_S3.keySet().stream().filter(n -> n.startsWith("x-amz-")).toList());
        assertNoValueInOutput(soft, result);
        for (String key : List.of("tagalong.baggage.allow", "tagalong.mdc.allow")) {
            assertAllowGlobWarnedOnce(soft, result, key, "x-amz-*");
            soft.assertThat(startupGlobLines(result, key, "X-Tenant")).as("no warning for glob X-Tenant of %s", key).isEmpty();
            soft.assertThat(startupGlobLines(result, key, "x-amz-meta-*")).as("no warning for glob x-amz-meta-* of %s", key).isEmpty();
        }
        soft.assertThatCode(result::assertCleanRun).as("every call of the job succeeded").doesNotThrowAnyException();
        assertAll(soft, result);
    }

    /**
     * The control: the operator names x-amz-acl (a map entry) and x-amz-storage-class ({@code tagalong.headers}).
     * Trusted routes: both arrive on every request, signed, and the store applies them (so the checks on what was
     * stored above can fail). Without an allow glob no other context name arrives, and nothing is refused.
     */
    @OnEveryJdk
    void awsSdk2TrustedRoutesStillSendTheseNamesSigned(Jdk jdk) {
        Map<String, String> env = entries(DANGEROUS_S3, HARMLESS_S3, "x-amz-meta-source", "env");
        env.put("acl", "public-read");
        ChildResult result = runAws2(ChildJvm.withAgent(jdk)
                .env("BAGGAGE", baggage(env))
                .property("tagalong.baggage.map", "acl=x-amz-acl")
                .property("tagalong.headers", "x-amz-storage-class=STANDARD_IA"));

        SoftAssertions soft = new SoftAssertions();
        for (String route : ROUTES) {
            List<Received> requests = objectRequests(route);
            soft.assertThat(requests).as("requests on the object of route %s", route).extracting(Received::method)
                    .containsExactly("PUT", "GET", "HEAD", "HEAD", "GET");
            for (Received r : requests) {
                soft.assertThat(r.all("x-amz-acl")).as("x-amz-acl on %s", brief(r)).containsExactly("public-read");
                soft.assertThat(r.all("x-amz-storage-class")).as("x-amz-storage-class on %s", brief(r)).containsExactly("STANDARD_IA");
                soft.assertThat(r.signedHeaders()).as("SignedHeaders of %s", brief(r)).contains("x-amz-acl", "x-amz-storage-class");
                for (String name : List.of("X-Tenant", "x-amz-meta-team", "x-amz-copy-source", "Range", "Cache-Control")) {
                    soft.assertThat(r.all(name)).as("%s without an allow glob on %s", name, brief(r)).isEmpty();
                }
            }
            soft.assertThat(result.stdout()).as("the store applied x-amz-acl: public-read")
                    .contains("untrusted-" + route + " acl " + PUBLIC_READ_ACL);
            soft.assertThat(result.stdout()).as("the store applied x-amz-storage-class")
                    .containsPattern("untrusted-" + route + " stored .* storage-class=STANDARD_IA ");
        }
        soft.assertThat(result.tagalongLines()).as("nothing refused").noneMatch(l -> l.contains("refused"));
        soft.assertThatCode(result::assertCleanRun).as("every call of the job succeeded").doesNotThrowAnyException();
        assertAll(soft, result);
    }

    /** AWS SDK v1, {@code allow=*}: the BAGGAGE variable and the program's MDC; the same checks on PutObject. */
    @OnEveryJdk
    void awsSdk1AllowStarRefusesEveryDangerousNameFromTheEnvironmentAndTheMdc(Jdk jdk) {
        ChildResult result = ChildJvm.withAgent(jdk).app("aws-sdk-1")
                .env("BAGGAGE", baggage(entries(DANGEROUS_S3, HARMLESS_S3, "x-amz-meta-source", "env")))
                .property("tagalong.baggage.allow", "*")
                .property("tagalong.mdc.allow", "*")
                .property("untrusted.entries", baggage(entries(DANGEROUS_S3, HARMLESS_S3)))
                .property("aws.java.v1.disableDeprecationAnnouncement", "true")
                .run(AWS1_JOB, s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, "untrusted-context");

        SoftAssertions soft = new SoftAssertions();
        assertNoDangerousNameArrived(soft, result);
        for (String route : AWS1_ROUTES) {
            String bucket = "untrusted-" + route;
            List<Received> puts = objectRequests(route).stream().filter(r -> r.method().equals("PUT")).toList();
            soft.assertThat(puts).as("PutObject of route %s", route).hasSize(1);
            for (Received put : puts) {
                soft.assertThat(put.all("x-amz-meta-team")).as("x-amz-meta-team on %s", brief(put)).containsExactly("ml");
                soft.assertThat(put.all("x-amz-meta-source")).as("the route's own marker on %s", brief(put)).containsExactly(route);
                soft.assertThat(put.all("X-Tenant")).as("X-Tenant on %s", brief(put)).containsExactly("t1");
                soft.assertThat(put.signedHeaders()).as("SignedHeaders of %s", brief(put)).contains("x-amz-meta-team", "x-amz-meta-source");
            }
            soft.assertThat(storedMetadata(bucket, "object.txt")).as("metadata S3Proxy stored for route %s", route)
                    .isEqualTo(Map.of("team", "ml", "source", route));
            soft.assertThat(result.stdout()).as("GetObject returned the whole body (no Range) for route %s", route)
                    .contains(bucket + " get bytes=" + AWS1_BODY_LENGTH + " of " + AWS1_BODY_LENGTH);
            soft.assertThat(result.stdout()).as("HeadObject: user metadata, no system header from the context, route %s", route)
                    .contains(bucket + " stored metadata={source=" + route + ", team=ml} cache-control=absent content-disposition=absent"
                            + " storage-class=STANDARD website-redirect-location=absent object-lock-mode=absent tag-count=absent");
            soft.assertThat(result.stdout()).as("the object's ACL is still private for route %s", route)
                    .contains(bucket + " acl " + PRIVATE_ACL);
        }
        assertS3RefusalsLoggedAndRunClean(soft, result);
    }

    /**
     * google-cloud-storage, {@code allow=*}, the BAGGAGE variable: x-goog-* names that change the request and the
     * plain headers that do are refused; x-goog-meta-* and x-goog-custom-audit-* still arrive. Against WireMock at
     * 127.0.0.1 (only the SDK layer acts) and as storage.googleapis.com (HttpURLConnection below would act too).
     */
    @OnEveryJdk
    void gcsAllowStarRefusesTheDangerousNamesAndKeepsMetadataAndCustomAudit(Jdk jdk) {
        stubGcsJsonApi();
        ChildResult result = ChildJvm.withAgent(jdk).app("gcs-2").hostsOnLoopback(GCS_HOST)
                .env("BAGGAGE", baggage(entries(DANGEROUS_GCS, HARMLESS_GCS)))
                .property("tagalong.baggage.allow", "*")
                .run(GCS_JOB, "plain", gcs.url(""), gcs.urlOn(GCS_HOST, ""));

        SoftAssertions soft = new SoftAssertions();
        for (String host : List.of("127.0.0.1", GCS_HOST)) {
            List<LoggedRequest> requests = gcs.wiremock().getAllServeEvents().stream()
                    .map(ServeEvent::getRequest)
                    .filter(r -> r.getHost().equalsIgnoreCase(host)).toList();
            soft.assertThat(requests).as("requests for %s", host).hasSize(4);
            for (LoggedRequest request : requests) {
                String where = request.getMethod() + " " + request.getAbsoluteUrl();
                for (String name : DANGEROUS_GCS.keySet()) {
                    soft.assertThat(ReceivedHeaders.values(request, name)).as("%s (an untrusted name) arrived on %s", name, where).isEmpty();
                }
                HARMLESS_GCS.forEach((name, value) -> soft.assertThat(ReceivedHeaders.values(request, name))
                        .as("%s on %s", name, where).containsExactly(value));
            }
        }
        assertRefusedOnceEach(soft, result, DANGEROUS_GCS.keySet());
        for (String value : SEARCHABLE_GCS_VALUES) {
            soft.assertThat(result.stdout() + result.stderr()).as("the value %s in the child's output", value).doesNotContain(value);
        }
        assertAllowGlobWarnedOnce(soft, result, "tagalong.baggage.allow", "*");
        soft.assertThatCode(result::assertCleanRun).as("every call of the job succeeded").doesNotThrowAnyException();
        assertAll(soft, result);
    }

    /** The JSON API calls of GcsJob plain (as GcsIT stubs them). */
    private static void stubGcsJsonApi() {
        WireMockServer wm = gcs.wiremock();
        String direct = "{\"kind\":\"storage#object\",\"bucket\":\"" + GCS_BUCKET + "\",\"name\":\"direct.txt\",\"size\":\"9\",\"generation\":\"1\"}";
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/" + GCS_BUCKET))
                .willReturn(json("{\"kind\":\"storage#bucket\",\"name\":\"" + GCS_BUCKET + "\",\"id\":\"" + GCS_BUCKET + "\"}")));
        wm.stubFor(post(urlPathEqualTo("/upload/storage/v1/b/" + GCS_BUCKET + "/o")).willReturn(json(direct)));
        wm.stubFor(get(urlPathMatching("(/download)?/storage/v1/b/" + GCS_BUCKET + "/o/direct.txt"))
                .withQueryParam("alt", equalTo("media")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                        .withHeader("x-goog-generation", "1").withBody("hello gcs")));
        wm.stubFor(get(urlPathEqualTo("/storage/v1/b/" + GCS_BUCKET + "/o/direct.txt")).atPriority(2).willReturn(json(direct)));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body);
    }

    // ---------------------------------------------------------------- AWS SDK v2 helpers and shared checks

    /** The grants S3Proxy reports for an object stored without a canned ACL, and for x-amz-acl: public-read. */
    static final String PRIVATE_ACL = "[CanonicalUser:FULL_CONTROL]";
    static final String PUBLIC_READ_ACL = "[CanonicalUser:FULL_CONTROL,http://acs.amazonaws.com/groups/global/AllUsers:READ]";

    private ChildResult runAws2(ChildJvm child) {
        return child.app("aws-sdk-2")
                .property("untrusted.entries", baggage(entries(DANGEROUS_S3, HARMLESS_S3)))
                .run(AWS2_JOB, s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, "untrusted-context");
    }

    /** The requests on the route's object: PutObject, GetObject, HeadObject (in the context), then HEAD and ACL. */
    private static List<Received> objectRequests(String route) {
        return s3.receivedUnder("/untrusted-" + route + "/object.txt");
    }

    /** The user metadata S3Proxy stored with the object, or null when no object was stored. */
    static Map<String, String> storedMetadata(String bucket, String key) {
        try {
            return s3.storedMetadata(bucket, key);
        } catch (RuntimeException noSuchObject) {
            return null;
        }
    }

    private static void assertNoDangerousNameArrived(SoftAssertions soft, ChildResult result) {
        soft.assertThat(s3.received()).as("requests received").isNotEmpty();
        for (Received r : s3.received()) {
            for (String name : DANGEROUS_S3.keySet()) {
                soft.assertThat(r.all(name)).as("%s (an untrusted name) arrived on %s", name, brief(r)).isEmpty();
            }
        }
    }

    private static void assertHarmlessNamesArrivedSignedAndStored(SoftAssertions soft, ChildResult result) {
        for (String route : ROUTES) {
            List<Received> puts = objectRequests(route).stream().filter(r -> r.method().equals("PUT")).toList();
            soft.assertThat(puts).as("PutObject of route %s", route).hasSize(1);
            for (Received put : puts) {
                soft.assertThat(put.all("x-amz-meta-team")).as("x-amz-meta-team on %s", brief(put)).containsExactly("ml");
                soft.assertThat(put.all("x-amz-meta-source")).as("the route's own marker on %s", brief(put)).containsExactly(route);
                soft.assertThat(put.all("X-Tenant")).as("X-Tenant on %s", brief(put)).containsExactly("t1");
                soft.assertThat(put.signedHeaders()).as("SignedHeaders of %s", brief(put)).contains("x-amz-meta-team", "x-amz-meta-source");
            }
            soft.assertThat(storedMetadata("untrusted-" + route, "object.txt")).as("metadata S3Proxy stored for route %s", route)
                    .isEqualTo(Map.of("team", "ml", "source", route));
            soft.assertThat(result.stdout()).as("HeadObject's metadata for route %s", route)
                    .contains("untrusted-" + route + " stored metadata={source=" + route + ", team=ml} ");
        }
    }

    /** What the store made of the requests: the object is the one a request without the dangerous names stores. */
    private static void assertStoredAsWithoutContext(SoftAssertions soft, ChildResult result) {
        for (String route : ROUTES) {
            String bucket = "untrusted-" + route;
            soft.assertThat(result.stdout()).as("GetObject returned the whole body (no Range) for route %s", route)
                    .contains(bucket + " get bytes=" + AWS2_BODY_LENGTH + " of " + AWS2_BODY_LENGTH);
            soft.assertThat(result.stdout()).as("HeadObject shows no system header from the context for route %s", route)
                    .contains(bucket + " stored metadata={source=" + route + ", team=ml} cache-control=absent content-disposition=absent"
                            + " storage-class=STANDARD website-redirect-location=absent object-lock-mode=absent tag-count=absent");
            soft.assertThat(result.stdout()).as("the object's ACL is still private for route %s", route)
                    .contains(bucket + " acl " + PRIVATE_ACL);
        }
    }

    // ---------------------------------------------------------------- output checks shared by every client

    private static String brief(Received r) {
        return r.method() + " " + r.target();
    }

    /**
     * Fails with every failed check on one line each, then (once, not per check) what the child printed and what
     * the servers received.
     */
    /** allow=* for baggage and MDC on an S3 job: each dangerous name refused once, no value logged, the run clean. */
    private static void assertS3RefusalsLoggedAndRunClean(SoftAssertions soft, ChildResult result) {
        assertRefusedOnceEach(soft, result, DANGEROUS_S3.keySet());
        assertNoValueInOutput(soft, result);
        assertAllowGlobWarnedOnce(soft, result, "tagalong.baggage.allow", "*");
        assertAllowGlobWarnedOnce(soft, result, "tagalong.mdc.allow", "*");
        soft.assertThatCode(result::assertCleanRun).as("every call of the job succeeded").doesNotThrowAnyException();
        assertAll(soft, result);
    }

    static void assertAll(SoftAssertions soft, ChildResult result) {
        // Not wasSuccess(): that is the result of the last check only.
        List<AssertionError> errors = soft.assertionErrorsCollected();
        if (errors.isEmpty()) return;
        StringBuilder message = new StringBuilder(errors.size() + " checks failed:\n");
        for (int i = 0; i < errors.size(); i++) {
            String text = String.valueOf(errors.get(i).getMessage()).strip().replaceAll("\\s+", " ");
            message.append(i + 1).append(") ").append(text, 0, Math.min(text.length(), 400)).append('\n');
        }
        message.append("--- the child JVM\n").append(result).append("--- S3Proxy received\n");
        for (Received r : s3.received()) {
            message.append(brief(r)).append(r.headers().stream().filter(h -> !h[0].equalsIgnoreCase("Authorization")
                    && !h[0].equalsIgnoreCase("User-Agent") && !h[0].startsWith("amz-sdk-"))
                    .map(h -> h[0] + ": " + h[1]).collect(Collectors.joining("; ", " {", "}"))).append('\n');
        }
        message.append("--- WireMock received\n");
        for (ServeEvent event : gcs.wiremock().getAllServeEvents()) {
            LoggedRequest r = event.getRequest();
            message.append(r.getMethod()).append(' ').append(r.getAbsoluteUrl()).append(' ')
                    .append(r.getHeaders().toString().replaceAll("\\s*\\n\\s*", "; ")).append('\n');
        }
        throw new AssertionError(message.toString());
    }

    /** One refusal line per name, naming it; none for another name. */
    static void assertRefusedOnceEach(SoftAssertions soft, ChildResult result, java.util.Collection<String> names) {
        for (String name : names) {
            soft.assertThat(result.tagalongLines()).as("refusal lines for %s", name)
                    .filteredOn(line -> refusalOf(line, name)).hasSize(1);
        }
        List<String> refusals = result.tagalongLines().stream().filter(line -> line.startsWith("[tagalong] WARN header ")
                && line.contains(" refused")).toList();
        soft.assertThat(refusals).as("every refusal line names one of %s", names)
                .allMatch(line -> names.stream().anyMatch(name -> refusalOf(line, name)));
    }

    private static boolean refusalOf(String line, String name) {
        return line.toLowerCase(Locale.ROOT).startsWith("[tagalong] warn header " + name.toLowerCase(Locale.ROOT) + " refused");
    }

    static void assertNoValueInOutput(SoftAssertions soft, ChildResult result) {
        for (String value : SEARCHABLE_VALUES) {
            soft.assertThat(result.stdout() + result.stderr()).as("the value %s in the child's output", value)
                    .doesNotContain(value);
        }
    }

    /** Exactly one line at start names this allow key and this glob (and is no refusal of a header). */
    static void assertAllowGlobWarnedOnce(SoftAssertions soft, ChildResult result, String key, String glob) {
        soft.assertThat(startupGlobLines(result, key, glob)).as("start-up warning about glob %s of %s", glob, key)
                .hasSize(1);
    }

    static List<String> startupGlobLines(ChildResult result, String key, String glob) {
        // The glob as a word of its own: "*" must not be found inside "x-amz-*".
        Pattern word = Pattern.compile("(?i)(^|[\\s'\"`(\\[=:,])" + Pattern.quote(glob) + "($|[\\s'\"`)\\],;:.])");
        return result.tagalongLines().stream()
                .filter(line -> line.startsWith("[tagalong] WARN ") && !line.startsWith("[tagalong] WARN header "))
                .filter(line -> line.contains(key) && word.matcher(line).find())
                .collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- entries

    /** The maps' entries in order, then extra name, value pairs. */
    static Map<String, String> entries(Map<String, String> first, Map<String, String> second, String... more) {
        Map<String, String> all = new LinkedHashMap<>(first);
        all.putAll(second);
        all.putAll(ordered(more));
        return all;
    }

    static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
        return map;
    }

    /** W3C baggage: {@code name=percent-encoded value,...} (the BAGGAGE variable, and the job's untrusted.entries). */
    static String baggage(Map<String, String> entries) {
        return entries.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining(","));
    }
}
