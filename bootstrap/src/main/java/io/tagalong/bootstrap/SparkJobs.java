package io.tagalong.bootstrap;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Per-job context across a Spark application, carried by what Spark ships with every task: the job's local
 * properties. On the driver, when a job is submitted, the headers that apply on the submitting thread (context
 * holder, baggage, MDC, as the pipeline decides them) and the mapped Spark properties ({@code tagalong.spark.map})
 * are written into the job's properties under {@link #PROPERTY}; on the executor, while Spark's TaskContext is set
 * on a task thread, they are the thread's scope, and they are gone when Spark unsets it.
 *
 * <p>A user's job can set any local property, so the executor trusts nothing in it: every name and value is checked
 * again by the policy, and a name that changes what a storage request does is taken only when the executor's own
 * configuration maps to it.
 */
public final class SparkJobs {
    /** The job property that carries the decided headers: {@code Name=percent-encoded value,...}. */
    public static final String PROPERTY = "tagalong.job.headers";
    /** More than any sendable set of headers can take (8 KiB, with room for percent-encoding): refused whole. */
    static final int MAX_ENCODED = 3 * HeaderPolicy.MAX_INJECTED_BYTES;
    /** Map keys that name the application, read from the SparkContext rather than from the job's properties. */
    static final String APP_ID = "spark.app.id", APP_NAME = "spark.app.name", USER = "spark.user";

    /** The scope this class opened on a task thread, closed when the task's context is unset. */
    private static final ThreadLocal<ScopedHeaders.Scope> TASK = new ThreadLocal<>();
    /** False until a task has carried headers: until then a task costs one volatile read at start and at end. */
    private static volatile boolean used;
    /** The last property decoded: every task of a job carries the same one. */
    private static volatile Decoded last;

    private SparkJobs() {}

    /**
     * Driver, at job submission on the submitting thread: the job's properties with {@link #PROPERTY} set to the
     * headers that apply to the job, or removed when none do (only the agent writes it). The properties passed in
     * are never changed (they may be the thread's own local properties): a copy is returned when anything changes.
     */
    public static Properties submitted(Properties properties, String appId, String appName, String user) {
        Pipeline pipeline = Tagalong.pipeline();
        return pipeline == null ? properties : submitted(pipeline, properties, appId, appName, user);
    }

    static Properties submitted(Pipeline pipeline, Properties properties, String appId, String appName, String user) {
        HeaderSet headers = jobHeaders(pipeline, properties, appId, appName, user);
        if (Log.debug) Log.debug("spark: a job submitted on thread " + Thread.currentThread().getName() + " carries " + headers.size() + " headers");
        boolean present = properties != null && properties.containsKey(PROPERTY);
        if (headers.size() == 0 && !present) return properties;
        Properties copy = new Properties();
        if (properties != null) copy.putAll(properties);
        copy.remove(PROPERTY);
        if (headers.size() > 0) copy.setProperty(PROPERTY, encode(headers));
        return copy;
    }

    /**
     * Driver, where Spark SQL hands a query's work to another thread: the headers the thread-bound sources decide
     * here, to be current there (baggage and MDC do not follow threads by themselves).
     */
    public static HeaderSet queryContext() {
        Pipeline pipeline = Tagalong.pipeline();
        return pipeline == null ? HeaderSet.EMPTY : pipeline.contextHeaders(pipeline.capture());
    }

    /** The submitting thread's context, then the mapped Spark properties: the first to name a header wins. */
    static HeaderSet jobHeaders(Pipeline pipeline, Properties properties, String appId, String appName, String user) {
        HeaderSet context = pipeline.contextHeaders(pipeline.capture());
        Map<String, String> map = pipeline.config().sparkMap;
        if (map.isEmpty()) return context;
        HeaderSet.Builder mapped = new HeaderSet.Builder();
        if (properties != null) {
            for (Map.Entry<Object, Object> e : properties.entrySet()) {
                if (!(e.getKey() instanceof String) || !(e.getValue() instanceof String)) continue;
                String key = ((String) e.getKey()).toLowerCase(Locale.ROOT);
                // The application's identity comes from the SparkContext, never from a property a job can set.
                if (key.equals(APP_ID) || key.equals(APP_NAME) || key.equals(USER)) continue;
                addMapped(mapped, map.get(key), (String) e.getValue());
            }
        }
        addMapped(mapped, map.get(APP_ID), appId);
        addMapped(mapped, map.get(APP_NAME), appName);
        addMapped(mapped, map.get(USER), user);
        return context.size() == 0 ? mapped.build() : mapped.build().with(context);
    }

    private static void addMapped(HeaderSet.Builder mapped, String header, String value) {
        if (header == null || value == null) return;
        String problem = HeaderPolicy.valueProblem(value);
        if (problem == null) mapped.putIfAbsent(header, value);
        else refused(header, "from tagalong.spark.map", problem);
    }

    /** Executor, when Spark sets a task's context on a thread: the job's headers (if any) become its scope. */
    public static void taskStarted(String encoded) {
        if (used) taskEnded(); // a context set again without being unset: the earlier task's headers go first
        if (encoded == null) return;
        Pipeline pipeline = Tagalong.pipeline();
        if (pipeline != null) taskStarted(pipeline, encoded);
    }

    static void taskStarted(Pipeline pipeline, String encoded) {
        HeaderSet headers = decode(encoded, pipeline.config());
        if (headers.size() == 0) return;
        if (!used) used = true;
        TASK.set(ScopedHeaders.replace(headers));
    }

    /** Executor, when Spark unsets a task's context (in the task's finally): the thread is as it was before. */
    public static void taskEnded() {
        if (!used) return;
        ScopedHeaders.Scope scope = TASK.get();
        if (scope == null) return;
        TASK.remove();
        scope.close();
    }

    static String encode(HeaderSet headers) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < headers.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(headers.name(i)).append('=');
            String v = headers.value(i); // visible ASCII, checked: only the separators need escaping
            for (int c = 0; c < v.length(); c++) {
                char ch = v.charAt(c);
                if (ch == '%') sb.append("%25");
                else if (ch == ',') sb.append("%2C");
                else sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** The headers a job property carries that this executor accepts; a refused entry is logged (name only). */
    static HeaderSet decode(String encoded, Config config) {
        Decoded d = last;
        if (d != null && d.config == config && d.encoded.equals(encoded)) return d.headers;
        HeaderSet headers = decodeUncached(encoded, config);
        last = new Decoded(encoded, config, headers);
        return headers;
    }

    private static HeaderSet decodeUncached(String encoded, Config config) {
        if (encoded.length() > MAX_ENCODED) {
            Log.warnOnce("spark-size", "spark: a job's " + PROPERTY + " property is longer than " + MAX_ENCODED
                    + " characters; ignored");
            return HeaderSet.EMPTY;
        }
        HeaderSet.Builder b = new HeaderSet.Builder();
        for (String entry : encoded.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                Log.warnOnce("spark-entry", "spark: an entry of a job's " + PROPERTY + " property is not name=value; ignored");
                continue;
            }
            String name = entry.substring(0, eq);
            String value = PercentCodec.decode(entry.substring(eq + 1));
            String problem = value == null ? "bad percent-encoding" : HeaderPolicy.nameProblem(name);
            if (problem == null) problem = HeaderPolicy.valueProblem(value);
            // The property is the job's to set: a name that changes the request only if this executor maps to it.
            if (problem == null && !config.mapsTo(name)) problem = HeaderPolicy.untrustedNameProblem(name);
            if (problem != null) refused(name, "in a job's " + PROPERTY, problem);
            else b.putIfAbsent(name, value);
        }
        return b.build();
    }

    private static void refused(String name, String where, String problem) {
        String shown = HeaderPolicy.printable(name);
        Log.warnOnce("spark-refused:" + shown.toLowerCase(Locale.ROOT) + ":" + problem,
                "spark: header " + shown + " " + where + " refused: " + problem);
    }

    private static final class Decoded {
        final String encoded;
        final Config config;
        final HeaderSet headers;

        Decoded(String encoded, Config config, HeaderSet headers) {
            this.encoded = encoded;
            this.config = config;
            this.headers = headers;
        }
    }
}
