package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import io.tagalong.smoke.programs.Fetch;
import io.tagalong.smoke.programs.FetchSteps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit rules (names and globs), the audit file, its summaries and its failures, and the MBean read from this JVM
 * over a JMX connection: all with HttpURLConnection ({@link Fetch}, {@link FetchSteps}) against WireMock.
 */
class AuditIT {
    @RegisterExtension static final StorageServer storage = new StorageServer();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Looked for in every line the agent writes (ConfiguredValues does it for every child): never found. */
    static final String TEAM_VALUE = "team-value-7f3a9c";

    @TempDir Path dir;

    private ChildJvm child(Jdk jdk, Path auditFile) {
        return ChildJvm.withAgent(jdk)
                .property("tagalong.targets", storage.prefixTarget())
                .property("tagalong.headers", "X-Team=" + TEAM_VALUE)
                .property("tagalong.required", "X-Audit,X-My-Header-*")
                .property("tagalong.audit.file", auditFile.toString());
    }

    private static List<JsonNode> lines(Path file) {
        List<JsonNode> nodes = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) nodes.add(JSON.readTree(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return nodes;
    }

    private static List<String> strings(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(item.asText()));
        return items;
    }

    private static List<String> linesContaining(ChildResult result, String text) {
        return result.tagalongLines().stream().filter(line -> line.contains(text)).toList();
    }

    @OnEveryJdk
    void aMissIsALineInTheFileAWarningOnceAndACountAtExit(Jdk jdk) {
        Path file = dir.resolve("audit.jsonl");
        ChildResult result = child(jdk, file).run(Fetch.class,
                "GET " + storage.url("/bucket/none?X-Amz-Signature=sig-in-query"),
                "PUT " + storage.url("/bucket/own") + " body=fixed header=X-Audit:1 header=X-Team:the-programs-own",
                "GET " + storage.url("/bucket/none-again"),
                "GET " + storage.url("/bucket/passes") + " header=X-Audit:2 header=X-My-Header-Job:nightly")
                .assertCleanRun();

        List<JsonNode> lines = lines(file);
        assertThat(lines).as("one line per request that missed a rule\n%s", result).hasSize(3);
        JsonNode first = lines.get(0);
        assertThat(Instant.parse(first.get("time").asText())).isBefore(Instant.now());
        assertThat(first.get("method").asText()).isEqualTo("GET");
        assertThat(first.get("scheme").asText()).isEqualTo("http");
        assertThat(first.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(first.get("port").asInt()).isEqualTo(storage.port());
        assertThat(first.get("path").asText()).as("the path without its query").isEqualTo("/bucket/none");
        assertThat(strings(first.get("missing"))).containsExactly("X-Audit", "X-My-Header-*");
        assertThat(strings(first.get("set"))).containsExactly("X-Team");
        assertThat(strings(first.get("kept"))).isEmpty();
        assertThat(first.get("instrumentation").asText()).isEqualTo("http-url-connection");
        assertThat(first.get("thread").asText()).isEqualTo("main");
        JsonNode own = lines.get(1);
        assertThat(own.get("path").asText()).isEqualTo("/bucket/own");
        assertThat(strings(own.get("missing"))).as("X-Audit set by the program counts").containsExactly("X-My-Header-*");
        assertThat(strings(own.get("set"))).isEmpty();
        assertThat(strings(own.get("kept"))).containsExactly("X-Team");
        assertThat(lines.get(2).get("path").asText()).isEqualTo("/bucket/none-again");

        assertThat(linesContaining(result, "required header X-Audit missing on a storage request to 127.0.0.1")).hasSize(1);
        assertThat(linesContaining(result, "required header matching X-My-Header-* missing on a storage request to 127.0.0.1")).hasSize(1);
        assertThat(result.tagalongLines()).as("the counts at exit\n%s", result)
                .contains("[tagalong] WARN required header X-Audit was missing on 2 storage requests",
                        "[tagalong] WARN required header X-My-Header-* was missing on 3 storage requests");
        assertThat(storage.receivedOnce("/bucket/passes").getHeader("X-Team")).isEqualTo(TEAM_VALUE);
    }

    /** audit.all: a line for every storage request; a glob rule passes on a header Tagalong set; none for others. */
    @OnEveryJdk
    void auditAllWritesEveryStorageRequestAndAGlobPassesOnAnInjectedHeader(Jdk jdk) {
        Path file = dir.resolve("all.jsonl");
        ChildResult result = child(jdk, file)
                .property("tagalong.headers", "X-Team=" + TEAM_VALUE + ",X-My-Header-Team=" + TEAM_VALUE)
                .property("tagalong.audit.all", "true")
                .run(Fetch.class,
                        "GET " + storage.url("/bucket/a") + " header=X-Audit:1",
                        "GET " + storage.url("/bucket/b"),
                        "GET " + storage.httpsUrl("/not-a-target"))
                .assertCleanRun();

        List<JsonNode> lines = lines(file);
        assertThat(lines).as("every storage request, and only those\n%s", result).hasSize(2);
        assertThat(strings(lines.get(0).get("missing"))).isEmpty();
        assertThat(strings(lines.get(0).get("set"))).containsExactly("X-Team", "X-My-Header-Team");
        assertThat(strings(lines.get(1).get("missing"))).containsExactly("X-Audit");
        assertThat(linesContaining(result, "X-My-Header-*")).isEmpty();
    }

    /** A file that cannot be opened: one warning, the requests go on with their headers, the lines are counted. */
    @OnEveryJdk
    void anUnwritableAuditFileGivesOneWarningAndNothingElse(Jdk jdk) throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        ChildResult result = child(jdk, notADirectory.resolve("audit.jsonl"))
                .run(Fetch.class, "GET " + storage.url("/bucket/1"), "GET " + storage.url("/bucket/2"))
                .assertCleanRun();

        assertThat(linesContaining(result, "WARN audit file ")).as("%s", result).hasSize(1)
                .allMatch(line -> line.contains("cannot open (Not a directory)"));
        assertThat(result.tagalongLines()).contains("[tagalong] WARN audit: 2 lines could not be written to the audit file"
                + " (queue full or file not writable)");
        assertThat(storage.receivedOnce("/bucket/2").getHeader("X-Team")).isEqualTo(TEAM_VALUE);
    }

    /**
     * The audit file's directory deleted while the program runs: one warning, the next line is counted as dropped,
     * the program goes on. The summary comes every second while misses occur. The platform MBean server is never
     * created (its class is not even loaded), though the agent looked for it.
     */
    @OnEveryJdk
    void aDirectoryDeletedDuringTheRunAndThePeriodicSummary(Jdk jdk) throws Exception {
        Path auditDir = Files.createDirectories(dir.resolve("audit"));
        Path file = auditDir.resolve("audit.jsonl");
        Path classes = dir.resolve("classes.txt");
        RunningChild child = child(jdk, file).property("tagalong.audit.interval", "1")
                .jvmOption("-Xlog:class+load=info:file=" + classes)
                .start(FetchSteps.class.getName(), "GET " + storage.url("/bucket/1"), "await", "GET " + storage.url("/bucket/2"));
        child.awaitStdout("awaiting 1");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((!Files.exists(file) || Files.size(file) == 0) && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(lines(file)).hasSize(1);
        Files.delete(file);
        Files.delete(auditDir);
        child.awaitStderr("WARN audit, last 1 s:"); // the monitor's tick: it printed a summary and looked for an MBean server
        child.writeLine("go");
        ChildResult result = child.awaitExit().assertCleanRun();

        assertThat(linesContaining(result, "WARN audit file ")).as("%s", result).hasSize(1);
        assertThat(result.tagalongLines()).contains(
                "[tagalong] WARN audit, last 1 s: X-Audit missing on 1 storage request, X-My-Header-* missing on 1 storage request",
                "[tagalong] WARN audit: 1 line could not be written to the audit file (queue full or file not writable)",
                "[tagalong] WARN required header X-Audit was missing on 2 storage requests");
        assertThat(storage.receivedOnce("/bucket/2").getHeader("X-Team")).isEqualTo(TEAM_VALUE);
        String loaded = Files.readString(classes);
        assertThat(loaded).as("the agent looked for an MBean server").contains("javax.management.MBeanServerFactory ");
        assertThat(loaded).as("and did not create one").doesNotContain("com.sun.jmx.mbeanserver.JmxMBeanServer ");
    }

    /**
     * The MBean, read from this JVM: the child starts without JMX; the Attach API starts its local management agent
     * (as {@code jcmd <pid> ManagementAgent.start_local} does), which creates the platform MBean server; the agent
     * notices and registers {@code io.tagalong:type=Agent}.
     */
    @OnEveryJdk
    void theMBeanIsRegisteredWhenAServerAppearsAndReadFromAnotherJvm(Jdk jdk) throws Exception {
        RunningChild child = child(jdk, dir.resolve("jmx.jsonl"))
                .start(FetchSteps.class.getName(), "GET " + storage.url("/bucket/1"),
                        "GET " + storage.url("/bucket/2") + " header=X-Audit:1 header=X-Team:the-programs-own", "await");
        child.awaitStdout("awaiting 1");
        Map<String, Object> attributes = new TreeMap<>();
        VirtualMachine vm = VirtualMachine.attach(Long.toString(child.pid()));
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName("io.tagalong:type=Agent");
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!server.isRegistered(name) && System.nanoTime() < deadline) Thread.sleep(100);
            for (String attribute : List.of("Version", "Configuration", "StorageRequests", "HeadersSet", "HeadersKept",
                    "HeadersRefused", "AuditMisses", "AuditLinesDropped")) {
                Object value = server.getAttribute(name, attribute);
                attributes.put(attribute, value instanceof TabularData t ? map(t) : value instanceof String[] a ? List.of(a) : value);
            }
        } finally {
            vm.detach();
        }
        child.writeLine("done");
        child.awaitExit().assertCleanRun();

        assertThat(attributes.get("StorageRequests")).isEqualTo(Map.of("http-url-connection", 2L));
        assertThat(attributes.get("HeadersSet")).isEqualTo(Map.of("http-url-connection", 1L));
        assertThat(attributes.get("HeadersKept")).isEqualTo(Map.of("http-url-connection", 1L));
        assertThat(attributes.get("AuditMisses")).isEqualTo(Map.of(
                "http-url-connection: X-Audit", 1L, "http-url-connection: X-My-Header-*", 2L));
        assertThat(attributes.get("AuditLinesDropped")).isEqualTo(Map.of("http-url-connection", 0L));
        assertThat(attributes.get("Configuration").toString()).contains("tagalong.headers = X-Team=<redacted>   (system property)");
        assertThat(attributes.toString()).as("no configured value in any attribute").doesNotContain(TEAM_VALUE);
    }

    private static Map<String, Long> map(TabularData table) {
        Map<String, Long> m = new TreeMap<>();
        for (Object row : table.values()) {
            CompositeData data = (CompositeData) row;
            m.put((String) data.get("key"), (Long) data.get("value"));
        }
        return m;
    }
}
