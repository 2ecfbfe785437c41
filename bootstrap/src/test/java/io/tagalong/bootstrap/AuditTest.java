package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Audit rules (names and globs), one audit per request across layers, the file's lines, rollover, and the keys. */
class AuditTest {
    @RegisterExtension
    final CapturedStderr err = new CapturedStderr();

    @TempDir Path dir;

    /** A request of one instrumentation that can list its headers. */
    static final class Request extends PipelineTest.Request {
        final String instrumentation;

        Request(String instrumentation, String path) {
            super(path, "X-Amz-Signature=abc");
            this.instrumentation = instrumentation;
        }

        @Override
        protected String instrumentation() {
            return instrumentation;
        }
    }

    private static Pipeline pipeline(String... props) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < props.length; i += 2) p.put(props[i], props[i + 1]);
        return new Pipeline(Config.load(p, new HashMap<>()));
    }

    private static long misses(Pipeline p, String key) {
        Long n = p.counters.misses().get(key);
        return n == null ? 0 : n;
    }

    @Test
    void aGlobPassesOnAHeaderOfTheProgramOrOfTagalongAndMissesOtherwise() {
        Pipeline p = pipeline("tagalong.required", "X-My-Header-*");
        Request own = new Request("okhttp", "/own");
        own.setHeader("x-my-header-job", "1");
        p.apply(own, p.capture());
        p.apply(new Request("okhttp", "/none"), p.capture());
        assertEquals(1, misses(p, "okhttp: X-My-Header-*"));

        Pipeline injected = pipeline("tagalong.required", "X-My-Header-*", "tagalong.headers", "X-My-Header-Team=ml");
        injected.apply(new Request("okhttp", "/injected"), injected.capture());
        assertEquals(0, misses(injected, "okhttp: X-My-Header-*"));
        assertTrue(err.toString().contains("required header matching X-My-Header-* missing"), err.toString());
    }

    @Test
    void theHttpClientBelowAnSdkLayerDoesNotAuditTheSameRequestAgain() {
        Pipeline p = pipeline("tagalong.required", "X-Audit");
        p.apply(new Request("aws-sdk-2", "/key"), p.capture());
        p.apply(new Request("apache-httpclient-4", "/key"), p.capture()); // the same request, one layer down
        p.apply(new Request("apache-httpclient-4", "/key"), p.capture()); // a request of the program's own
        assertEquals(1, misses(p, "aws-sdk-2: X-Audit"));
        assertEquals(1, misses(p, "apache-httpclient-4: X-Audit"));
        assertEquals(Long.valueOf(2), p.counters.each(c -> c.requests.sum()).get("apache-httpclient-4"));
    }

    @Test
    void linesHoldNamesAndPlacesAndTheFileRollsOver() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        Pipeline p = pipeline("tagalong.required", "X-Audit", "tagalong.headers", "X-Team=secret-value",
                "tagalong.audit.file", file.toString(), "tagalong.audit.file.max-bytes", "400");
        p.audit.start();
        Request r = new Request("okhttp", "/a\"b");
        r.setHeader("x-note", "program");
        p.apply(r, p.capture());
        p.apply(new Request("okhttp", "/second"), p.capture());
        p.audit.file().drain();
        String line = new String(Files.readAllBytes(Path.of(file + ".1")), StandardCharsets.UTF_8);
        assertTrue(line.matches("\\{\"time\":\"[0-9T:.-]+Z\",\"method\":\"PUT\",\"scheme\":\"https\",\"host\":\"bucket.s3.amazonaws.com\","
                + "\"port\":443,\"path\":\"/a\\\\\"b\",\"missing\":\\[\"X-Audit\"],\"set\":\\[\"X-Team\"],\"kept\":\\[],"
                + "\"instrumentation\":\"okhttp\",\"thread\":\"[^\"]+\"}\n"), line);
        List<String> current = Files.readAllLines(file);
        assertEquals(1, current.size());
        assertTrue(current.get(0).contains("\"path\":\"/second\""));
        assertTrue(!line.contains("secret-value") && !line.contains("abc"), "no value, no query: " + line);
    }

    @Test
    void badAuditKeysAreReportedAndDefaultsUsed() {
        Config c = Config.load(Map.of("tagalong.audit.interval", "-1", "tagalong.audit.file.max-bytes", "lots",
                "tagalong.required", "X-Ok,X Bad,X-Glob-?"), Map.of());
        assertEquals(60, c.auditInterval);
        assertEquals(Config.DEFAULT_AUDIT_MAX_BYTES, c.auditMaxBytes);
        assertEquals(List.of("X-Ok", "X-Glob-?"), c.required);
        assertEquals(List.of("tagalong.required: entry 2 ignored: not a valid header name or glob",
                "tagalong.audit.interval: expected a whole number of at least 0; using 60",
                "tagalong.audit.file.max-bytes: expected a whole number of at least 1; using 104857600"), c.problems());
    }
}
