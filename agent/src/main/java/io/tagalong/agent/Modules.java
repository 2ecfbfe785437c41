package io.tagalong.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.Set;

/** Java 9+ module access through {@code Instrumentation.redefineModule}; nothing to do on Java 8. */
final class Modules {
    private Modules() {}

    /** The module API exists (Java 9+): {@link ModulesJava9} may be loaded. */
    private static final boolean JAVA9 = !System.getProperty("java.specification.version", "").startsWith("1.");

    /**
     * Exports {@code pkg} of {@code module} to the module of {@code to}, and makes {@code module} read it. No-op on
     * Java 8 or without that module.
     */
    static void export(Instrumentation inst, String module, String pkg, Class<?> to) {
        if (JAVA9) ModulesJava9.redefine(inst, module, pkg, to, false);
    }

    /**
     * The transformer to register: on Java 9+ one that lets the modules of {@code carriers} read the hooks (a live
     * set: specs built later add to it).
     */
    static ClassFileTransformer readingHooks(ClassFileTransformer patcher, Instrumentation inst, Set<String> carriers, Class<?> hook) {
        return JAVA9 ? new HooksReadableTransformer(patcher, inst, carriers, hook) : patcher;
    }

    /**
     * Loads {@code className} (internal name, of the bootstrap class loader) through {@code transformer}, the one
     * {@link #readingHooks} returned, as an unchanged copy: its module then reads the hooks' module. No-op on Java 8.
     */
    static void loadAsCopy(ClassFileTransformer transformer, String className) {
        if (JAVA9) ((HooksReadableTransformer) transformer).loadAsCopy(className);
    }

    /** Opens {@code pkg} of {@code module} (deep reflection) to the module of {@code to}. */
    static void open(Instrumentation inst, String module, String pkg, Class<?> to) {
        if (JAVA9) ModulesJava9.redefine(inst, module, pkg, to, true);
    }
}
