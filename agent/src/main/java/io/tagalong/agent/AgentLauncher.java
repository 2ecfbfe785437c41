package io.tagalong.agent;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The only agent class at the jar root: it puts the jar on the bootstrap class path and starts the agent proper
 * from {@code inst/} in its own class loader. It touches no Tagalong class itself, so that none is defined by the
 * system class loader before the jar is on the bootstrap class path.
 */
public final class AgentLauncher {
    private AgentLauncher() {}

    /** Guards against a second start (the jar given twice, or attached to a JVM that already runs it). */
    private static boolean started;

    public static void premain(String args, Instrumentation inst) {
        launch(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        launch(args, inst, true);
    }

    /** {@code java -jar tagalong-agent.jar [command]}: the self-check, the dry run, the usage (see Cli). */
    public static void main(String[] args) throws Exception {
        URL jarUrl = ownJar();
        // The root classes (bootstrap, instrumentation) are on this class path already: parent = this loader.
        AgentClassLoader loader = new AgentClassLoader(new JarFile(new File(jarUrl.toURI())), jarUrl,
                AgentLauncher.class.getClassLoader());
        Class<?> cli = loader.loadClass("io.tagalong.agent.Cli");
        int status;
        try {
            status = (Integer) cli.getMethod("run", String[].class, PrintStream.class, PrintStream.class)
                    .invoke(null, args, System.out, System.err);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        }
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    private static synchronized void launch(String args, Instrumentation inst, boolean runtimeAttach) {
        try {
            if (started) {
                return;
            }
            URL jarUrl = ownJar();
            JarFile jar = new JarFile(new File(jarUrl.toURI()));
            // The loader first: once the jar is on the bootstrap class path, AgentClassLoader would be defined there.
            AgentClassLoader loader = new AgentClassLoader(jar, jarUrl, null);
            if (!bootstrapSeesTagalong()) {
                inst.appendToBootstrapClassLoaderSearch(jar);
            }
            // Agent.start runs from the static initializer of Agent$Launch, which takes these from the loader: a
            // plain call, where Method.invoke spins method handles on JDK 18+ (JEP 416), ~15 ms of a start on JDK 25.
            loader.startArguments = new Object[] {inst, args, runtimeAttach};
            Class.forName("io.tagalong.agent.Agent$Launch", true, loader);
            started = true;
        } catch (Throwable t) {
            Throwable cause = (t instanceof InvocationTargetException || t instanceof ExceptionInInitializerError)
                    && t.getCause() != null ? t.getCause() : t;
            System.err.println("[tagalong] could not start, the program runs without it: " + cause);
            if (Boolean.getBoolean("tagalong.debug") || "true".equalsIgnoreCase(System.getenv("TAGALONG_DEBUG"))) {
                cause.printStackTrace();
            }
        }
    }

    /**
     * With -javaagent the manifest's Boot-Class-Path has put the jar on the bootstrap class path before the JVM
     * started: an append from premain would make the JVM print a class-sharing warning into the program's output.
     * Boot-Class-Path names the jar file, so a renamed jar is not found that way and is appended here instead.
     */
    private static boolean bootstrapSeesTagalong() {
        try {
            Class.forName("io.tagalong.bootstrap.Tagalong", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * The agent jar, found through this class's own class file: with Boot-Class-Path this class is defined by the
     * bootstrap loader, which gives it no code source.
     */
    private static URL ownJar() throws MalformedURLException {
        URL self = AgentLauncher.class.getResource("AgentLauncher.class");
        String path = self == null ? null : self.getPath();
        if (self == null || !"jar".equals(self.getProtocol()) || path.indexOf("!/") < 0) {
            throw new IllegalStateException("cannot find the agent jar (AgentLauncher is at " + self + ")");
        }
        return new URL(path.substring(0, path.indexOf("!/")));
    }

    private static Exception rethrow(Throwable t) {
        if (t instanceof Error) {
            throw (Error) t;
        }
        return t instanceof Exception ? (Exception) t : new Exception(t);
    }

    /**
     * Defines the agent's internals from {@code inst/<internal name>.classdata}: entries that no other class loader
     * treats as classes, so the program's class path sees none of them (nor the relocated ASM).
     */
    static final class AgentClassLoader extends ClassLoader implements Supplier<Object[]> {
        static {
            registerAsParallelCapable();
        }

        /** What {@code Agent$Launch} passes to {@code Agent.start}: instrumentation, options, attached at run time. */
        volatile Object[] startArguments;

        @Override
        public Object[] get() {
            return startArguments;
        }

        private final JarFile jar;
        private final URL jarUrl;
        private final ProtectionDomain domain;

        AgentClassLoader(JarFile jar, URL jarUrl, ClassLoader parent) {
            super(parent);
            this.jar = jar;
            this.jarUrl = jarUrl;
            this.domain = new ProtectionDomain(new CodeSource(jarUrl, (Certificate[]) null), null, this, null);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            JarEntry entry = jar.getJarEntry("inst/" + name.replace('.', '/') + ".classdata");
            if (entry == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes;
            try {
                bytes = read(jar.getInputStream(entry), (int) entry.getSize());
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
            return defineClass(name, bytes, 0, bytes.length, domain);
        }

        @Override
        protected URL findResource(String name) {
            String entry = entry(name);
            if (jar.getEntry(entry) == null) {
                return null;
            }
            try {
                return new URL("jar:" + jarUrl.toExternalForm() + "!/" + entry);
            } catch (MalformedURLException e) {
                return null;
            }
        }

        /**
         * An agent class file (a helper that HelperInjector defines elsewhere) straight from the jar: no lookup in the
         * parent, which has no inst/ entry, and no jar: URL connection, whose classes many programs never load.
         */
        @Override
        public InputStream getResourceAsStream(String name) {
            JarEntry entry = jar.getJarEntry(entry(name));
            if (entry == null) {
                return super.getResourceAsStream(name);
            }
            try {
                return jar.getInputStream(entry);
            } catch (IOException e) {
                return null;
            }
        }

        /** The jar entry of resource {@code name}: under inst/, a class file as .classdata. */
        private static String entry(String name) {
            return "inst/" + (name.endsWith(".class") ? name.substring(0, name.length() - ".class".length()) + ".classdata" : name);
        }

        @Override
        protected Enumeration<URL> findResources(String name) {
            URL url = findResource(name);
            return url == null ? Collections.<URL>emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
        }

        /** The entry's bytes: stored, not compressed (agent/pom.xml), so this is one read of a known size. */
        private static byte[] read(InputStream in, int size) throws IOException {
            try {
                byte[] bytes = new byte[size];
                new DataInputStream(in).readFully(bytes);
                return bytes;
            } finally {
                in.close();
            }
        }
    }
}
