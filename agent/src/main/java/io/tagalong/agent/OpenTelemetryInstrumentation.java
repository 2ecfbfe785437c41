package io.tagalong.agent;

import io.tagalong.instrumentation.opentelemetry.OtelAgentBaggage;

import java.util.Arrays;

/**
 * Baggage bridges. The application's API: when its baggage classes appear in a class loader, the helper
 * {@code OtelApiBaggage} is defined there and registers itself (the one mechanism for sources in application class
 * loaders, shared with {@link MdcInstrumentation}). Triggers: the static initializer of {@code BaggageContextKey},
 * which runs at the first use of baggage in that class loader, and the entry of {@code Baggage.fromContext}, which
 * also catches a class initialised before a run-time attach. The OpenTelemetry Java agent's baggage: a reader on the
 * bootstrap class path, registered when one of that agent's classes below loads (see Instrumentations.STARTED_BY).
 */
final class OpenTelemetryInstrumentation {
    private OpenTelemetryInstrumentation() {}

    static final String NAME = "opentelemetry";
    static final String HELPER = "io/tagalong/helpers/opentelemetry/OtelApiBaggage";
    /** The OpenTelemetry Java agent's Premain-Class, and its copy of the baggage API (as OtelAgentBaggage reads it). */
    static final String AGENT_MAIN = "io/opentelemetry/javaagent/OpenTelemetryAgent";
    static final String AGENT_BAGGAGE = "io/opentelemetry/javaagent/shaded/io/opentelemetry/api/baggage/Baggage";

    static InstrumentationSpec spec() {
        return new InstrumentationSpec(NAME, Arrays.asList(
                MethodPatch.atEntry("io/opentelemetry/api/baggage/BaggageContextKey", "<clinit>", "()V", REGISTER),
                MethodPatch.atEntry("io/opentelemetry/api/baggage/Baggage", "fromContext",
                        "(Lio/opentelemetry/context/Context;)Lio/opentelemetry/api/baggage/Baggage;", REGISTER)))
                .withHelpers("io.tagalong.helpers.opentelemetry.OtelApiBaggage",
                        "io.tagalong.helpers.opentelemetry.OtelApiBaggage$Entries")
                .withStart(new Runnable() {
                    @Override
                    public void run() {
                        OtelAgentBaggage.install();
                    }
                });
    }

    static final MethodPatch.Code REGISTER = new MethodPatch.Code()
            .invokestatic(HELPER, "register", "()V");
}
