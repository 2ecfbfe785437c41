package io.tagalong.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header values a child JVM was configured with ({@code tagalong.headers}, {@code TAGALONG_HEADERS},
 * {@code BAGGAGE}, and the dry run's {@code --scope}, {@code --baggage}, {@code --mdc}), and the proof, after every
 * child of the smoke suite, that none of them appears in anything the agent wrote: its {@code [tagalong]} lines
 * (the whole output of {@code java -jar tagalong-agent.jar}) and the audit file. Values shorter than four
 * characters are not looked for: "ml" or "1" would be found in any text.
 */
final class ConfiguredValues {
    static final String AGENT_MAIN = "io.tagalong.agent.AgentLauncher";
    private static final int SHORTEST = 4;

    private final Set<String> values;
    private final List<Path> auditFiles = new ArrayList<>();
    private final boolean wholeOutput;

    private ConfiguredValues(Set<String> values, boolean wholeOutput) {
        this.values = values;
        this.wholeOutput = wholeOutput;
    }

    static ConfiguredValues of(Map<String, String> properties, Map<String, String> environment, List<String> args,
                               boolean agentCommand) {
        Set<String> values = new LinkedHashSet<>();
        addList(values, properties.get("tagalong.headers"));
        addList(values, environment.get("TAGALONG_HEADERS"));
        addList(values, environment.get("BAGGAGE"));
        for (int i = 0; i + 1 < args.size(); i++) {
            if (List.of("--scope", "--baggage", "--mdc").contains(args.get(i))) addList(values, args.get(i + 1));
        }
        ConfiguredValues configured = new ConfiguredValues(values, agentCommand);
        String file = properties.get("tagalong.audit.file");
        if (file != null) {
            configured.auditFiles.add(Paths.get(file));
            configured.auditFiles.add(Paths.get(file + ".1"));
        }
        return configured;
    }

    /** {@code k=v;meta,k2=v2}: each value as written and percent-decoded. */
    private static void addList(Set<String> values, String list) {
        if (list == null) return;
        for (String entry : list.split(",")) {
            String member = entry.split(";", 2)[0];
            int eq = member.indexOf('=');
            if (eq < 0) continue;
            String raw = member.substring(eq + 1).trim();
            add(values, raw);
            try {
                add(values, URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException ignored) {
                // not percent-encoded: the raw value is looked for
            }
        }
    }

    private static void add(Set<String> values, String value) {
        if (value.length() >= SHORTEST) values.add(value);
    }

    void assertNoneIn(ChildResult result) {
        if (values.isEmpty()) return;
        List<String> lines = new ArrayList<>();
        for (String line : (result.stdout() + result.stderr()).split("\n")) {
            if (wholeOutput || line.startsWith("[tagalong]")) lines.add(line);
        }
        for (Path file : auditFiles) {
            try {
                if (Files.isRegularFile(file)) lines.addAll(Files.readAllLines(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String value : values) {
            assertThat(lines).as("a configured header value in the agent's output or audit file\n%s", result)
                    .noneMatch(line -> line.contains(value));
        }
    }
}
