package io.tagalong.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Constructor;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the agent's one transformer costs for a class it does not patch: the JVM calls it for every class it loads.
 * The transformer is the agent's own (every instrumentation enabled, specs not built yet, as at start), loaded from
 * the agent jar given by {@code agentJar}, so two builds can be compared side by side in one run:
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar TransformBenchmark -p agentJar=/tmp/base/tagalong-agent.jar,agent/target/tagalong-agent.jar</pre>
 *
 * {@code unrelated}: a program class; {@code sameSimpleName}: a class whose simple name is one a patch names
 * ({@code HttpRequestExecutor}) in another package, the case where relocation support does more than one lookup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TransformBenchmark {
    @Param("agent/target/tagalong-agent.jar")
    public String agentJar;

    private ClassFileTransformer transformer;
    private final byte[] classfile = new byte[0];

    @Setup
    public void load() throws Exception {
        ClassLoader agent = new InstClassLoader(new JarFile(agentJar));
        Class<?> type = Class.forName("io.tagalong.agent.PatchTransformer", true, agent);
        Constructor<?> constructor = type.getDeclaredConstructor(Collection.class, int.class, Instrumentation.class);
        constructor.setAccessible(true);
        transformer = (ClassFileTransformer) constructor.newInstance(Collections.emptyList(), -1 >>> 1, null);
    }

    // The JVM hands the transformer a new String per class, whose hash is not computed yet: so does the benchmark.
    private final char[] unrelated = "com/acme/orders/OrderService$Line".toCharArray();
    private final char[] sameSimpleName = "com/acme/http/protocol/HttpRequestExecutor".toCharArray();

    @Benchmark
    public byte[] unrelated() throws IllegalClassFormatException {
        return transformer.transform(null, new String(unrelated), null, null, classfile);
    }

    @Benchmark
    public byte[] sameSimpleName() throws IllegalClassFormatException {
        return transformer.transform(null, new String(sameSimpleName), null, null, classfile);
    }

    /** The agent's internals from the jar's {@code inst/*.classdata}, as the agent's own loader defines them. */
    public static final class InstClassLoader extends ClassLoader {
        private final JarFile jar;

        public InstClassLoader(JarFile jar) {
            super(InstClassLoader.class.getClassLoader());
            this.jar = jar;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && name.startsWith("io.tagalong.agent.")) c = findClass(name);
                return c != null ? c : super.loadClass(name, resolve);
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            JarEntry entry = jar.getJarEntry("inst/" + name.replace('.', '/') + ".classdata");
            if (entry == null) throw new ClassNotFoundException(name);
            try (InputStream in = jar.getInputStream(entry)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                byte[] bytes = out.toByteArray();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
