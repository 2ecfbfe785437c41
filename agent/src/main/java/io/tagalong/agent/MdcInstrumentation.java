package io.tagalong.agent;

import java.util.Arrays;

/**
 * The SLF4J MDC bridge: the same mechanism as the application's OpenTelemetry API ({@link
 * OpenTelemetryInstrumentation}). An MDC holds entries only after {@code put} or {@code setContextMap}: their entry
 * defines and registers the helper {@code Slf4jMdc} in the class loader of {@code org.slf4j.MDC} (slf4j-api 1.7 and 2.x).
 */
final class MdcInstrumentation {
    private MdcInstrumentation() {}

    static final String NAME = "mdc";
    static final String MDC = "org/slf4j/MDC";
    static final String HELPER = "io/tagalong/helpers/mdc/Slf4jMdc";

    static InstrumentationSpec spec() {
        MethodPatch.Code register = new MethodPatch.Code()
                .invokestatic(HELPER, "register", "()V");
        return new InstrumentationSpec(NAME, Arrays.asList(
                MethodPatch.atEntry(MDC, "put", "(Ljava/lang/String;Ljava/lang/String;)V", register),
                MethodPatch.atEntry(MDC, "setContextMap", "(Ljava/util/Map;)V", register)))
                .withHelpers("io.tagalong.helpers.mdc.Slf4jMdc");
    }
}
