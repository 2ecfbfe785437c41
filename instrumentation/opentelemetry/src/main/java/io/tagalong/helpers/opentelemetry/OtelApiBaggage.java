package io.tagalong.helpers.opentelemetry;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.tagalong.bootstrap.ContextSource;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.ProgramSources;
import java.util.function.BiConsumer;

/**
 * The application's OpenTelemetry baggage, read by a helper defined in the class loader of its
 * {@code io.opentelemetry.api.baggage} classes. The patched API calls {@link #register()}: the first call initialises
 * this class, which registers its one instance (held here, so the registry may hold it weakly).
 */
public final class OtelApiBaggage implements ContextSource {
    private static final OtelApiBaggage INSTANCE = new OtelApiBaggage();

    static {
        ProgramSources.register(INSTANCE);
    }

    private OtelApiBaggage() {}

    /** Does nothing: calling it initialises the class once, which registers the bridge. */
    public static void register() {}

    @Override
    public Kind kind() {
        return Kind.BAGGAGE;
    }

    @Override
    public Object capture() {
        try {
            Baggage baggage = Baggage.current(); // immutable: the value itself is the snapshot
            return baggage.isEmpty() ? null : baggage;
        } catch (Throwable t) {
            Log.warnOnce("opentelemetry-api", "opentelemetry: the application's baggage could not be read ("
                    + t.getClass().getSimpleName() + "); it is skipped");
            return null;
        }
    }

    @Override
    public void forEach(Object captured, EntrySink sink) {
        ((Baggage) captured).forEach(new Entries(sink));
    }

    /** Entry values only: metadata never becomes a header. */
    static final class Entries implements BiConsumer<String, BaggageEntry> {
        private final EntrySink sink;

        Entries(EntrySink sink) {
            this.sink = sink;
        }

        @Override
        public void accept(String key, BaggageEntry entry) {
            sink.accept(key, entry.getValue());
        }
    }
}
