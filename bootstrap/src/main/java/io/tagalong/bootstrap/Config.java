package io.tagalong.bootstrap;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The effective configuration. Every key of the contract is read from a system property, else the environment
 * variable of the same name (upper case, dots and dashes as underscores), else the properties file named by
 * {@code tagalong.config.file}. An entry that cannot be read is left out and reported in {@link #problems()}
 * (key and reason, never a value); everything else still applies.
 */
public final class Config {
    /** Instrumentation names of the contract, in the order the self-check prints them. */
    public static final List<String> INSTRUMENTATIONS = Collections.unmodifiableList(Arrays.asList(
            "http-url-connection", "okhttp", "apache-httpclient-4", "apache-httpclient-5", "java-http-client",
            "aws-sdk-1", "aws-sdk-2", "google-http-client", "opentelemetry", "mdc", "executors", "spark", "grpc"));

    static final String HEADERS = "tagalong.headers";
    static final String BAGGAGE_MAP = "tagalong.baggage.map";
    static final String BAGGAGE_ALLOW = "tagalong.baggage.allow";
    static final String MDC_MAP = "tagalong.mdc.map";
    static final String MDC_ALLOW = "tagalong.mdc.allow";
    static final String SPARK_MAP = "tagalong.spark.map";
    static final String TARGETS = "tagalong.targets";
    static final String REQUIRED = "tagalong.required";
    static final String OVERRIDE = "tagalong.override";
    static final String DEBUG = "tagalong.debug";
    static final String CONFIG_FILE = "tagalong.config.file";
    static final String S3_LOG_PARAMS = "tagalong.s3.log-params";
    static final String USER_AGENT = "tagalong.user-agent";
    static final String GCS_AUDIT = "tagalong.gcs.audit";
    static final String AUDIT_FILE = "tagalong.audit.file";
    static final String AUDIT_ALL = "tagalong.audit.all";
    static final String AUDIT_INTERVAL = "tagalong.audit.interval";
    static final String AUDIT_MAX_BYTES = "tagalong.audit.file.max-bytes";
    static final long DEFAULT_AUDIT_MAX_BYTES = 100L * 1024 * 1024;
    static final String DEFAULT_TARGETS = "s3,gcs";

    final HeaderSet staticHeaders;
    final Map<String, String> baggageMap; // lower-case baggage key -> header name
    final List<Glob> baggageAllow;
    final Map<String, String> mdcMap;
    final List<Glob> mdcAllow;
    final Map<String, String> sparkMap; // lower-case Spark job property (or spark.app.id/name, spark.user) -> header
    final Targets targets;
    final List<String> required;
    final boolean override;
    final boolean debug;
    final List<String> baggageEnv; // flat key, value pairs from BAGGAGE
    /** Where else the values of named headers go: S3 access-log parameters, the User-Agent, GCS audit headers. */
    final Carriers carriers;
    /** The audit file's path, or null: no file. */
    final String auditFile;
    /** A line for every storage request, not only for those that miss a rule. */
    final boolean auditAll;
    /** Seconds between summary lines while misses occur; 0: none. */
    final long auditInterval;
    final long auditMaxBytes;
    private final Set<String> disabled;
    private final List<String> problems;
    private final List<String> notes;
    /** Kept for {@link #describe()}, which only the self-check and tests call: not built at every start. */
    private final Settings settings;
    private List<String> description;

    private Config(Settings s) {
        Problems p = new Problems();
        staticHeaders = parseHeaders(s.list(HEADERS, ""), p);
        baggageMap = parseMapping(BAGGAGE_MAP, s.list(BAGGAGE_MAP, ""), p);
        baggageAllow = parseGlobs(BAGGAGE_ALLOW, s.list(BAGGAGE_ALLOW, ""), p);
        mdcMap = parseMapping(MDC_MAP, s.list(MDC_MAP, ""), p);
        mdcAllow = parseGlobs(MDC_ALLOW, s.list(MDC_ALLOW, ""), p);
        sparkMap = parseMapping(SPARK_MAP, s.list(SPARK_MAP, ""), p);
        targets = Targets.parse(s.list(TARGETS, DEFAULT_TARGETS), p);
        required = parseRules(s.list(REQUIRED, ""), p);
        override = s.bool(OVERRIDE, p);
        debug = s.bool(DEBUG, p);
        carriers = new Carriers(parseNames(S3_LOG_PARAMS, s.list(S3_LOG_PARAMS, ""), p),
                parseNames(USER_AGENT, s.list(USER_AGENT, ""), p), parseNames(GCS_AUDIT, s.list(GCS_AUDIT, ""), p), p);
        disabled = new HashSet<>();
        for (String name : INSTRUMENTATIONS) {
            String key = instrumentationKey(name);
            if (s.get(key) != null && !s.bool(key, p)) disabled.add(name);
        }
        baggageEnv = W3CBaggage.parse(s.env.get("BAGGAGE"), "BAGGAGE (environment)", p);
        String file = s.get(AUDIT_FILE);
        auditFile = file == null || file.trim().isEmpty() ? null : file.trim();
        auditAll = s.bool(AUDIT_ALL, p);
        auditInterval = s.number(AUDIT_INTERVAL, 60, 0, p);
        auditMaxBytes = s.number(AUDIT_MAX_BYTES, DEFAULT_AUDIT_MAX_BYTES, 1, p);
        s.reportUnknownKeys(p);
        problems = Collections.unmodifiableList(p.list);
        notes = Collections.unmodifiableList(p.notes);
        settings = s;
    }

    /** The configuration of this JVM: system properties, environment, and the configured file. */
    public static Config load() {
        Map<String, String> sys = new HashMap<>();
        Properties props = System.getProperties();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith("tagalong.")) sys.put(name, props.getProperty(name));
        }
        return load(sys, System.getenv());
    }

    /** For tests: the configuration these properties and this environment give. */
    public static Config load(Map<String, String> systemProperties, Map<String, String> environment) {
        return new Config(new Settings(systemProperties, environment));
    }

    public boolean instrumentationEnabled(String name) {
        return !disabled.contains(name);
    }

    public boolean debug() {
        return debug;
    }

    /** What could not be read, one line each: key and reason, never a value. */
    public List<String> problems() {
        return problems;
    }

    /** What is kept as configured but worth knowing (names that change requests; broad allow globs). */
    public List<String> notes() {
        return notes;
    }

    /** Effective configuration, one {@code key = value  (origin)} line each, header values redacted. */
    public synchronized List<String> describe() {
        if (description == null) description = Collections.unmodifiableList(describe(settings));
        return description;
    }

    /** The configuration names this header as a mapping's target: the operator chose it, not the data. */
    boolean mapsTo(String header) {
        for (Map<String, String> m : Arrays.asList(baggageMap, mdcMap, sparkMap)) {
            for (String h : m.values()) if (h.equalsIgnoreCase(header)) return true;
        }
        return false;
    }

    static String instrumentationKey(String name) {
        return "tagalong.instrumentation." + name + ".enabled";
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static HeaderSet parseHeaders(List<String> entries, Problems p) {
        HeaderSet.Builder b = new HeaderSet.Builder();
        for (int n = 0; n < entries.size(); n++) {
            String[] kv = splitEntry(HEADERS, entries, n, p);
            if (kv == null) continue;
            String problem = HeaderPolicy.nameProblem(kv[0]);
            if (problem == null) problem = HeaderPolicy.valueProblem(kv[1]);
            if (problem != null) p.entry(HEADERS, n, "header " + HeaderPolicy.printable(kv[0]) + " refused: " + problem);
            else if (!b.putIfAbsent(kv[0], kv[1])) p.entry(HEADERS, n, "header " + kv[0] + " given twice");
            else p.noteTrusted(HEADERS, kv[0]);
        }
        return b.build();
    }

    private static Map<String, String> parseMapping(String key, List<String> entries, Problems p) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int n = 0; n < entries.size(); n++) {
            String[] kv = splitEntry(key, entries, n, p);
            if (kv == null) continue;
            String problem = HeaderPolicy.nameProblem(kv[1]);
            if (problem != null) p.entry(key, n, "header " + HeaderPolicy.printable(kv[1]) + " refused: " + problem);
            else if (map.putIfAbsent(kv[0].toLowerCase(Locale.ROOT), kv[1]) != null) p.entry(key, n, "key given twice");
            else p.noteTrusted(key, kv[1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** Allow globs; one that lets the data choose a name the untrusted-name rule refuses is kept, and said so. */
    private static List<Glob> parseGlobs(String key, List<String> entries, Problems p) {
        List<Glob> globs = new ArrayList<>();
        for (String e : entries) {
            Glob glob = new Glob(e);
            globs.add(glob);
            String refused = HeaderPolicy.refusedMatch(glob);
            if (refused != null) {
                p.notes.add(key + ": glob " + HeaderPolicy.printable(e) + " matches names that a caller may not choose (such as "
                        + refused + "); they are refused, and allowed only when mapped by name");
            }
        }
        return Collections.unmodifiableList(globs);
    }

    /** Audit rules: header names, or globs ({@code *}, {@code ?}) of which at least one header must match. */
    private static List<String> parseNames(String key, List<String> entries, Problems p) {
        List<String> names = new ArrayList<>();
        for (int n = 0; n < entries.size(); n++) {
            if (HeaderPolicy.isToken(entries.get(n))) names.add(entries.get(n));
            else p.entry(key, n, "not a valid header name");
        }
        return Collections.unmodifiableList(names);
    }

    private static List<String> parseRules(List<String> entries, Problems p) {
        List<String> rules = new ArrayList<>();
        for (int n = 0; n < entries.size(); n++) {
            String rule = entries.get(n);
            if (HeaderPolicy.isToken(rule.replace('?', 'x'))) rules.add(rule);
            else p.entry(REQUIRED, n, "not a valid header name or glob");
        }
        return Collections.unmodifiableList(rules);
    }

    /** {@code name=percent-encoded value}, both trimmed; null (and a problem) when it cannot be read. */
    private static String[] splitEntry(String key, List<String> entries, int n, Problems p) {
        String e = entries.get(n);
        int eq = e.indexOf('=');
        if (eq <= 0) {
            p.entry(key, n, "expected name=value");
            return null;
        }
        String value = PercentCodec.decode(e.substring(eq + 1).trim());
        if (value == null) {
            p.entry(key, n, "bad percent-encoding");
            return null;
        }
        return new String[] {e.substring(0, eq).trim(), value};
    }

    private List<String> describe(Settings s) {
        List<String> lines = new ArrayList<>();
        lines.add(line(s, HEADERS, redacted(staticHeaders)));
        lines.add(line(s, BAGGAGE_MAP, mapping(baggageMap)));
        lines.add(line(s, BAGGAGE_ALLOW, join(baggageAllow)));
        lines.add(line(s, MDC_MAP, mapping(mdcMap)));
        lines.add(line(s, MDC_ALLOW, join(mdcAllow)));
        lines.add(line(s, SPARK_MAP, mapping(sparkMap)));
        lines.add(line(s, TARGETS, targets.describe()));
        lines.add(line(s, REQUIRED, join(required)));
        lines.add(line(s, OVERRIDE, String.valueOf(override)));
        lines.add(line(s, DEBUG, String.valueOf(debug)));
        lines.add(line(s, S3_LOG_PARAMS, carried(carriers.s3Headers, carriers.s3Params)));
        lines.add(line(s, USER_AGENT, carried(carriers.userAgentHeaders, carriers.userAgentKeys)));
        lines.add(line(s, GCS_AUDIT, carried(carriers.gcsHeaders, carriers.gcsNames)));
        lines.add(line(s, AUDIT_FILE, auditFile == null ? "" : auditFile));
        lines.add(line(s, AUDIT_ALL, String.valueOf(auditAll)));
        lines.add(line(s, AUDIT_INTERVAL, String.valueOf(auditInterval)));
        lines.add(line(s, AUDIT_MAX_BYTES, String.valueOf(auditMaxBytes)));
        for (String name : INSTRUMENTATIONS) {
            String key = instrumentationKey(name);
            if (s.get(key) != null) lines.add(line(s, key, String.valueOf(instrumentationEnabled(name))));
        }
        if (s.fileName != null) lines.add(CONFIG_FILE + " = " + s.fileName);
        StringBuilder env = new StringBuilder();
        for (int i = 0; i < baggageEnv.size(); i += 2) env.append(env.length() > 0 ? "," : "").append(baggageEnv.get(i)).append("=<redacted>");
        lines.add("BAGGAGE (environment) = " + (env.length() == 0 ? "(empty)" : env));
        return lines;
    }

    private static String line(Settings s, String key, String shown) {
        return key + " = " + (shown.isEmpty() ? "(empty)" : shown) + "   (" + s.origin(key) + ")";
    }

    private static String redacted(HeaderSet h) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < h.size(); i++) sb.append(i > 0 ? "," : "").append(h.name(i)).append("=<redacted>");
        return sb.toString();
    }

    private static String mapping(Map<String, String> m) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : m.entrySet()) sb.append(sb.length() > 0 ? "," : "").append(e.getKey()).append('=').append(e.getValue());
        return sb.toString();
    }

    /** {@code X-Team -> x-team,...}: each carried header and what it becomes. */
    private String carried(int[] headers, String[] names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < headers.length; i++) {
            sb.append(i > 0 ? "," : "").append(carriers.headers.get(headers[i])).append(" -> ").append(names[i]);
        }
        return sb.toString();
    }

    private static String join(List<?> items) {
        StringBuilder sb = new StringBuilder();
        for (Object o : items) sb.append(sb.length() > 0 ? "," : "").append(o);
        return sb.toString();
    }

    /** Problems found while reading the configuration. */
    static final class Problems {
        final List<String> list = new ArrayList<>();
        /** Kept as configured, but worth a line: what an operator should know about it. */
        final List<String> notes = new ArrayList<>();

        void add(String problem) {
            list.add(problem);
        }

        void entry(String key, int index, String reason) {
            add(key + ": entry " + (index + 1) + " ignored: " + reason);
        }

        /** An operator's name that changes what a storage request does is the operator's decision: said once. */
        void noteTrusted(String key, String header) {
            if (HeaderPolicy.untrustedNameProblem(header) != null) {
                notes.add(key + ": header " + header + " changes what a storage request does; sent because the"
                        + " configuration names it (a caller could not choose it through an allow glob)");
            }
        }
    }

    /** The three places a key can come from, in order of precedence. */
    private static final class Settings {
        final Map<String, String> sys;
        final Map<String, String> env;
        /** The TAGALONG_* variables: most programs have none, and then no key's variable name is ever made. */
        private final Map<String, String> tagalongEnv = new HashMap<>();
        final Map<String, String> file = new HashMap<>();
        String fileName;
        private final List<String> fileProblems = new ArrayList<>();

        Settings(Map<String, String> sys, Map<String, String> env) {
            this.sys = sys;
            this.env = env;
            for (Map.Entry<String, String> e : env.entrySet()) {
                if (e.getKey().startsWith("TAGALONG_")) tagalongEnv.put(e.getKey(), e.getValue());
            }
            String name = sys.get(CONFIG_FILE) != null ? sys.get(CONFIG_FILE) : envValue(CONFIG_FILE);
            if (name != null && !name.trim().isEmpty()) {
                fileName = name.trim();
                Properties props = new Properties();
                try (InputStream in = new FileInputStream(fileName)) {
                    props.load(in);
                    for (String k : props.stringPropertyNames()) file.put(k, props.getProperty(k));
                } catch (IOException | RuntimeException e) {
                    fileProblems.add(CONFIG_FILE + ": cannot read the file (" + e.getClass().getSimpleName() + "); ignored");
                }
            }
        }

        String get(String key) {
            String v = sys.get(key);
            if (v == null) v = envValue(key);
            if (v == null) v = file.get(key);
            return v;
        }

        private String envValue(String key) {
            return tagalongEnv.isEmpty() ? null : tagalongEnv.get(envName(key));
        }

        String origin(String key) {
            if (sys.get(key) != null) return "system property";
            if (envValue(key) != null) return "environment " + envName(key);
            if (file.get(key) != null) return "file";
            return "default";
        }

        /** Comma-separated, trimmed, empty items dropped. */
        List<String> list(String key, String defaultValue) {
            String v = get(key);
            if (v == null) v = defaultValue;
            List<String> items = new ArrayList<>();
            for (String item : v.split(",")) {
                String t = item.trim();
                if (!t.isEmpty()) items.add(t);
            }
            return items;
        }

        /** A whole number of at least {@code min}; anything else is reported and the default used. */
        long number(String key, long defaultValue, long min, Problems p) {
            String v = get(key);
            if (v == null || v.trim().isEmpty()) return defaultValue;
            try {
                long n = Long.parseLong(v.trim());
                if (n >= min) return n;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            p.add(key + ": expected a whole number of at least " + min + "; using " + defaultValue);
            return defaultValue;
        }

        boolean bool(String key, Problems p) {
            String v = get(key);
            if (v == null || v.trim().isEmpty()) return false;
            String t = v.trim();
            if (t.equalsIgnoreCase("true")) return true;
            if (!t.equalsIgnoreCase("false")) p.add(key + ": expected true or false; using false");
            return false;
        }

        void reportUnknownKeys(Problems p) {
            p.list.addAll(0, fileProblems);
            Set<String> known = new HashSet<>(Arrays.asList(HEADERS, BAGGAGE_MAP, BAGGAGE_ALLOW, MDC_MAP, MDC_ALLOW,
                    SPARK_MAP, TARGETS, REQUIRED, OVERRIDE, DEBUG, CONFIG_FILE, S3_LOG_PARAMS, USER_AGENT, GCS_AUDIT,
                    AUDIT_FILE, AUDIT_ALL, AUDIT_INTERVAL, AUDIT_MAX_BYTES));
            for (String name : INSTRUMENTATIONS) known.add(instrumentationKey(name));
            Set<String> knownEnv = new HashSet<>();
            if (!tagalongEnv.isEmpty()) for (String k : known) knownEnv.add(envName(k));
            for (String k : sys.keySet()) if (k.startsWith("tagalong.") && !known.contains(k)) p.add(k + ": unknown key; ignored");
            for (String k : file.keySet()) if (!known.contains(k)) p.add(k + " (in " + CONFIG_FILE + "): unknown key; ignored");
            for (String k : tagalongEnv.keySet()) if (!knownEnv.contains(k)) p.add(k + ": unknown environment variable; ignored");
        }
    }
}
