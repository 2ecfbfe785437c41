package io.tagalong.agent;

import io.tagalong.bootstrap.Log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Defines an instrumentation's helper classes in the class loader of the library it patches, so that the code the
 * patch inserts can call ordinary Java compiled against that library (an OkHttp interceptor, an AWS SDK execution
 * interceptor, a bridge to the program's OpenTelemetry API or SLF4J MDC). The helpers reach the pipeline through the
 * bootstrap class path, which every class loader delegates to. Class loaders are held weakly.
 */
final class HelperInjector {
    private static final Map<ClassLoader, Set<String>> INJECTED =
            Collections.synchronizedMap(new WeakHashMap<ClassLoader, Set<String>>());
    private static volatile Instrumentation instrumentation;
    private static volatile Method defineClass;
    private static boolean prepared;

    private HelperInjector() {}

    /**
     * Remembers the instrumentation; the access to {@code ClassLoader.defineClass} is set up at the first injection,
     * since most programs never load a library that needs a helper and the set-up costs a few ms of every start.
     */
    static void init(Instrumentation inst) {
        instrumentation = inst;
    }

    /**
     * Lets the agent call {@code ClassLoader.defineClass}: on Java 9+ java.base opens java.lang to the agent's module.
     * Tried once; false (and one log line) when that is impossible: then no helper is defined and the classes that need
     * one are left as they are.
     */
    private static synchronized boolean prepare() {
        if (prepared) {
            return defineClass != null;
        }
        prepared = true;
        try {
            Modules.open(instrumentation, "java.base", "java.lang", HelperInjector.class);
            Method m = ClassLoader.class.getDeclaredMethod("defineClass", String.class, byte[].class, int.class,
                    int.class, ProtectionDomain.class);
            m.setAccessible(true);
            defineClass = m;
            return true;
        } catch (Throwable t) {
            Log.warn("cannot define helper classes in application class loaders (" + t.getClass().getSimpleName()
                    + "); the library instrumentations are off");
            return false;
        }
    }

    /**
     * Defines each helper (binary name) in {@code loader} unless it is there already, under the names of the
     * relocated copy {@code copy} if that is not null. False if one could not be.
     */
    static boolean inject(ClassLoader loader, List<String> helpers, Relocation copy, ProtectionDomain domain) {
        if (helpers.isEmpty() || loader == null) {
            return true; // the bootstrap loader sees the hooks on the bootstrap class path
        }
        if (defineClass == null && !prepare()) {
            return false;
        }
        Set<String> done;
        synchronized (INJECTED) {
            done = INJECTED.get(loader);
            if (done == null) {
                done = Collections.synchronizedSet(new HashSet<String>());
                INJECTED.put(loader, done);
            }
        }
        for (String helper : helpers) {
            String name = copy == null ? helper : copy.map(helper);
            if (done.contains(name)) {
                continue;
            }
            // No lock held while defining: defining may load the helper's supertypes through the loader's own locks.
            try {
                byte[] bytes = copy == null ? read(helper) : copy.mapClass(read(helper));
                defineClass.invoke(loader, name, bytes, 0, bytes.length, domain);
            } catch (Throwable t) {
                Throwable cause = t.getCause() != null ? t.getCause() : t;
                if (!(cause instanceof LinkageError && String.valueOf(cause.getMessage()).contains("duplicate"))) {
                    Log.warnOnce("inject " + name, "could not define " + name + " in " + loader.getClass().getName()
                            + " (" + cause.getClass().getSimpleName() + ")");
                    return false;
                }
            }
            done.add(name);
        }
        return true;
    }

    private static byte[] read(String name) throws IOException {
        InputStream in = HelperInjector.class.getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class");
        if (in == null) {
            throw new IOException("helper " + name + " is not in the agent");
        }
        return readAll(in);
    }

    /** Every byte of {@code in}, which is closed. */
    static byte[] readAll(InputStream in) throws IOException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            in.close();
        }
    }
}
