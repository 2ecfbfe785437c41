import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * A -javaagent that does nothing: the start-up benchmark's floor, what any agent costs before its own work. With the
 * option {@code transformer} it registers a transformer that changes nothing, the floor of any instrumenting agent:
 * from then on the JVM hands every class it loads to Java, reading archived ones from the runtime image first.
 */
public final class EmptyAgent implements ClassFileTransformer {
    public static void premain(String options, Instrumentation instrumentation) {
        if ("transformer".equals(options)) {
            instrumentation.addTransformer(new EmptyAgent());
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        return null;
    }
}
