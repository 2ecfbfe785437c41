package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void systemPropertyBeatsEnvironmentWhichBeatsFile() throws IOException {
        Path file = dir.resolve("tagalong.properties");
        Files.write(file, Arrays.asList("tagalong.headers=X-From=file", "tagalong.required=X-File", "tagalong.override=true"),
                StandardCharsets.UTF_8);
        Config c = Config.load(
                map("tagalong.headers", "X-From=sysprop", "tagalong.config.file", file.toString()),
                map("TAGALONG_HEADERS", "X-From=env", "TAGALONG_REQUIRED", "X-Env"));
        assertEquals("sysprop", c.staticHeaders.get("X-From"));
        assertEquals(Collections.singletonList("X-Env"), c.required);
        assertTrue(c.override);
        assertEquals(Collections.emptyList(), c.problems());
    }

    @Test
    void configFileCanBeNamedInTheEnvironment() throws IOException {
        Path file = dir.resolve("t.properties");
        Files.write(file, Collections.singletonList("tagalong.instrumentation.http-url-connection.enabled=false"), StandardCharsets.UTF_8);
        Config c = Config.load(map(), map("TAGALONG_CONFIG_FILE", file.toString()));
        assertFalse(c.instrumentationEnabled("http-url-connection"));
        assertTrue(c.instrumentationEnabled("okhttp"));
    }

    @Test
    void instrumentationSwitchesFromTheEnvironment() {
        Config c = Config.load(map(), map("TAGALONG_INSTRUMENTATION_HTTP_URL_CONNECTION_ENABLED", "false"));
        assertFalse(c.instrumentationEnabled("http-url-connection"));
    }

    @Test
    void valuesArePercentDecodedOnce() {
        Config c = Config.load(map("tagalong.headers", "X-Job=nightly%20run%2C%20part%201,X-Pct=100%2525"), map());
        assertEquals("nightly run, part 1", c.staticHeaders.get("x-job"));
        assertEquals("100%25", c.staticHeaders.get("X-Pct"));
    }

    @Test
    void defaultsMatchTheContract() {
        Config c = Config.load(map(), map());
        assertTrue(c.targets.s3 && c.targets.gcs && !c.targets.all);
        assertFalse(c.override);
        assertFalse(c.debug());
        assertEquals(0, c.staticHeaders.size());
        for (String name : Config.INSTRUMENTATIONS) assertTrue(c.instrumentationEnabled(name));
    }

    @Test
    void malformedEntriesAreReportedByKeyAndReasonAndTheRestApplies() {
        Config c = Config.load(map(
                "tagalong.headers", "X-Team,X-Ok=fine,Bad Name=secret1,Authorization=secret2,X-Bad=%zz,X-Crlf=a%0D%0Ab",
                "tagalong.override", "maybe",
                "tagalong.targets", "http://[,s3",
                "tagalong.required", "Not A Token",
                "tagalong.baggage.map", "team=Cookie,job=X-Job",
                "tagalong.hedaers", "X=1"), map("TAGALONG_DEBGU", "true"));
        assertEquals("fine", c.staticHeaders.get("X-Ok"));
        assertEquals(1, c.staticHeaders.size());
        assertTrue(c.targets.s3);
        assertEquals(Collections.singletonMap("job", "X-Job"), c.baggageMap);
        String all = String.join("\n", c.problems());
        for (String expected : new String[] {"tagalong.headers: entry 1 ignored: expected name=value",
                "tagalong.headers: entry 3 ignored: header (a name that is not a valid header name) refused",
                "tagalong.headers: entry 4 ignored: header Authorization refused: reserved (credentials)",
                "tagalong.headers: entry 5 ignored: bad percent-encoding",
                "tagalong.headers: entry 6 ignored: header X-Crlf refused: value contains CR, LF or NUL",
                "tagalong.override: expected true or false", "tagalong.targets: entry 1 ignored",
                "tagalong.required: entry 1 ignored", "tagalong.baggage.map: entry 1 ignored: header Cookie refused",
                "tagalong.hedaers: unknown key", "TAGALONG_DEBGU: unknown environment variable"}) {
            assertTrue(all.contains(expected), () -> "missing <" + expected + "> in\n" + all);
        }
        assertFalse(all.contains("secret1") || all.contains("secret2") || all.contains("%zz"), all);
    }

    @Test
    void describeRedactsHeaderValues() {
        Config c = Config.load(map("tagalong.headers", "X-Team=topsecret"), map("BAGGAGE", "team=alsosecret"));
        String all = String.join("\n", c.describe());
        assertTrue(all.contains("tagalong.headers = X-Team=<redacted>   (system property)"), all);
        assertTrue(all.contains("BAGGAGE (environment) = team=<redacted>"), all);
        assertTrue(all.contains("tagalong.targets = s3,gcs   (default)"), all);
        assertFalse(all.contains("topsecret") || all.contains("alsosecret"), all);
    }

    @Test
    void unreadableConfigFileIsReportedAndIgnored() {
        Config c = Config.load(map("tagalong.config.file", dir.resolve("missing.properties").toString(),
                "tagalong.headers", "X-A=1"), map());
        assertEquals("1", c.staticHeaders.get("X-A"));
        assertTrue(c.problems().get(0).startsWith("tagalong.config.file: cannot read the file"), c.problems().toString());
    }

    @Test
    void baggageFromTheEnvironmentFollowsW3cLimits() {
        Config c = Config.load(map(), map("BAGGAGE", "team=ml;prop=1, job = nightly%20run ,bad key=1,novalue,x=%G1"));
        assertEquals(Arrays.asList("team", "ml", "job", "nightly run"), c.baggageEnv);
        assertEquals(3, c.problems().size(), c.problems().toString());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 70; i++) many.append("k").append(i).append("=v,");
        Config tooMany = Config.load(map(), map("BAGGAGE", many.toString()));
        assertEquals(2 * W3CBaggage.MAX_MEMBERS, tooMany.baggageEnv.size());
    }
}
