package io.tagalong.instrumentation.opentelemetry;

import io.tagalong.bootstrap.ContextSource;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.Pipeline;
import io.tagalong.bootstrap.ProgramSources;
import io.tagalong.bootstrap.Tagalong;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * The OpenTelemetry Java agent's baggage: current even in a program without OpenTelemetry code (the agent extracts
 * it from incoming requests and carries it across threads). The agent keeps a shaded copy of the API in the
 * bootstrap class loader; it is read through three public API methods ({@code Baggage.current()},
 * {@code Baggage.asMap()}, {@code BaggageEntry.getValue()}), looked up once, at the first request, when both agents
 * have started whatever their order. If the agent is attached but those methods are not where expected, one line
 * says so and the application's own API is read instead. When they are, the application's API is not read: the agent
 * bridges it to this same context.
 */
public final class OtelAgentBaggage implements ContextSource {
    static final String SHADED = "io.opentelemetry.javaagent.shaded.io.opentelemetry.api.baggage.";
    static final String AGENT_MAIN = "io/opentelemetry/javaagent/OpenTelemetryAgent.class";

    private volatile boolean resolved;
    private Method current, asMap, getValue; // all set, or all null

    /** Registers the reader with the pipeline; called once at start when the opentelemetry instrumentation is on. */
    public static void install() {
        Pipeline pipeline = Tagalong.pipeline();
        if (pipeline != null) pipeline.register(new OtelAgentBaggage());
    }

    @Override
    public Kind kind() {
        return Kind.BAGGAGE;
    }

    @Override
    public Object capture() {
        if (!resolved) resolve();
        if (current == null) return null;
        try {
            Map<?, ?> entries = (Map<?, ?>) asMap.invoke(current.invoke(null));
            return entries.isEmpty() ? null : entries;
        } catch (Throwable t) {
            Log.warnOnce("opentelemetry-agent-read", "opentelemetry: the OpenTelemetry Java agent's baggage could not be read ("
                    + t.getClass().getSimpleName() + "); it is skipped");
            return null;
        }
    }

    @Override
    public void forEach(Object captured, EntrySink sink) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) captured).entrySet()) {
            try {
                sink.accept((String) e.getKey(), (String) getValue.invoke(e.getValue()));
            } catch (ReflectiveOperationException failed) {
                throw new IllegalStateException(failed.getClass().getSimpleName());
            }
        }
    }

    private synchronized void resolve() {
        if (resolved) return;
        try {
            Class<?> baggage = Class.forName(SHADED + "Baggage", false, null);
            Class<?> entry = Class.forName(SHADED + "BaggageEntry", false, null);
            Method c = baggage.getMethod("current"), m = baggage.getMethod("asMap"), v = entry.getMethod("getValue");
            current = c;
            asMap = m;
            getValue = v;
            ProgramSources.supersede(Kind.BAGGAGE);
            Log.debug("opentelemetry: reading the OpenTelemetry Java agent's baggage");
        } catch (Throwable t) {
            current = null;
            if (agentAttached()) {
                Log.warn("opentelemetry: the OpenTelemetry Java agent is attached but its baggage API is not where this"
                        + " version expects it (" + missing(t) + "); its baggage is not read, the"
                        + " application's OpenTelemetry API still is");
            }
        }
        resolved = true;
    }

    /** What was not found, in words (no exception names in the program's output). */
    private static String missing(Throwable t) {
        if (t instanceof ClassNotFoundException) return "no class " + t.getMessage();
        if (t instanceof NoSuchMethodException) return "no method " + t.getMessage();
        return t.getClass().getSimpleName();
    }

    /** The agent's jar is on the system class path, as every -javaagent jar is. */
    private static boolean agentAttached() {
        try {
            return ClassLoader.getSystemResource(AGENT_MAIN) != null;
        } catch (Throwable t) {
            return false;
        }
    }
}
