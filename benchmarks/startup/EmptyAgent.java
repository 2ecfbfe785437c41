import java.lang.instrument.Instrumentation;

/** A -javaagent that does nothing: the start-up benchmark's floor, what any agent costs before its own work. */
public final class EmptyAgent {
    public static void premain(String options, Instrumentation instrumentation) {
    }
}
