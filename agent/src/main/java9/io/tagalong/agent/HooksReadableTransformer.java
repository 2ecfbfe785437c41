package io.tagalong.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Set;

/**
 * The agent's transformer on Java 9+. A class that gets the state field implements an interface of the agent's
 * (on the bootstrap class path, in its unnamed module), and the JVM checks that its module reads that module when it
 * defines the class, before the read edges it grants to transformed modules exist (seen: ForkJoinTask in java.base
 * failed with IllegalAccessError). So a named module is made to read the agent's module first; one that cannot be
 * keeps its classes unpatched rather than fail to load them.
 *
 * <p>The JVM itself makes a module read the unnamed modules of the bootstrap and system class loaders once one of its
 * classes is changed by a transformer (java.lang.instrument, "Instrumenting code in modules"), but only after that
 * class is defined. So the agent loads a class of java.base at start as an unchanged copy ({@link #loadAsCopy}): when
 * HttpURLConnection loads, java.base reads the hooks' module already, with no {@code Instrumentation.redefineModule},
 * whose lambdas cost several milliseconds of a start. Other modules are redefined when their first carrier loads.
 */
final class HooksReadableTransformer implements ClassFileTransformer {
    private final ClassFileTransformer patcher;
    private final Instrumentation inst;
    private final Set<String> carriers;
    private final Module hooks;
    /** The class being loaded as an unchanged copy (internal name), or null. */
    private volatile String copying;

    HooksReadableTransformer(ClassFileTransformer patcher, Instrumentation inst, Set<String> carriers, Class<?> hook) {
        this.patcher = patcher;
        this.inst = inst;
        this.carriers = carriers;
        this.hooks = hook.getModule();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
        byte[] patched = patcher.transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
        String copy = copying;
        if (patched == null && copy != null && classBeingRedefined == null && copy.equals(className)) {
            return classfileBuffer.clone();
        }
        // Asked after patching: the carriers are known once the patcher has built the spec that names the class.
        if (patched != null && module != null && module.isNamed() && carriers.contains(className)
                && !readsHooks(module)) {
            return null;
        }
        return patched;
    }

    /**
     * Loads {@code className} (a class of the bootstrap class loader not loaded yet) as an unchanged copy, which makes
     * its module read the hooks' module. Outside any transformation: the JVM hands a class loaded while a transformer
     * runs to no transformer.
     */
    void loadAsCopy(String className) {
        copying = className;
        try {
            Class.forName(className.replace('/', '.'), false, null);
        } catch (Throwable t) {
            // the module is redefined when its first carrier loads
        } finally {
            copying = null;
        }
    }

    private boolean readsHooks(Module module) {
        if (module.canRead(hooks)) return true;
        try {
            inst.redefineModule(module, Collections.singleton(hooks), Collections.emptyMap(), Collections.emptyMap(),
                    Collections.emptySet(), Collections.emptyMap());
        } catch (RuntimeException e) {
            return false;
        }
        return module.canRead(hooks);
    }
}
