package io.tagalong.helpers.mdc;

import io.tagalong.bootstrap.ContextSource;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.ProgramSources;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The application's SLF4J MDC as its logging backend holds it (a no-op backend holds nothing), read by a helper
 * defined in the class loader of {@code org.slf4j.MDC}. The same mechanism as the OpenTelemetry API bridge.
 */
public final class Slf4jMdc implements ContextSource {
    private static final Slf4jMdc INSTANCE = new Slf4jMdc();

    static {
        ProgramSources.register(INSTANCE);
    }

    private Slf4jMdc() {}

    /** Does nothing: calling it initialises the class once, which registers the bridge. */
    public static void register() {}

    @Override
    public Kind kind() {
        return Kind.MDC;
    }

    @Override
    public Object capture() {
        try {
            Map<String, String> copy = MDC.getCopyOfContextMap(); // a copy: later changes do not reach the request
            return copy == null || copy.isEmpty() ? null : copy;
        } catch (Throwable t) {
            Log.warnOnce("mdc", "mdc: the application's MDC could not be read (" + t.getClass().getSimpleName() + "); it is skipped");
            return null;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(Object captured, EntrySink sink) {
        for (Map.Entry<String, String> e : ((Map<String, String>) captured).entrySet()) sink.accept(e.getKey(), e.getValue());
    }
}
