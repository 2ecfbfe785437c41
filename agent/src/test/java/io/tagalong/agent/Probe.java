package io.tagalong.agent;

/** What ClassFilePatcherPropertyTest's random patches call: takes a value, or passes it through. */
public final class Probe {
    private Probe() {}

    public static void take(Object value) {}

    public static Object pass(Object value) {
        return value;
    }
}
