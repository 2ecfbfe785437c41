package io.opentelemetry.javaagent;

import java.lang.instrument.Instrumentation;

/**
 * Stands in for an OpenTelemetry Java agent whose layout Tagalong does not know: same main class name, no shaded
 * baggage API on the bootstrap class path. Does nothing.
 */
public final class OpenTelemetryAgent {
    public static void premain(String args, Instrumentation inst) {
        System.out.println("fake OpenTelemetry agent started");
    }
}
