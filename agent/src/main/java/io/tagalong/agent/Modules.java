package io.tagalong.agent;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Java 9+ module access through {@code Instrumentation.redefineModule}, by reflection since this is Java 8 bytecode. */
final class Modules {
    private Modules() {}

    /** Exports {@code pkg} of {@code module} to the module of {@code to}. No-op on Java 8 or without that module. */
    static void export(Instrumentation inst, String module, String pkg, Class<?> to) throws Exception {
        redefine(inst, module, pkg, to, false);
    }

    /** Opens {@code pkg} of {@code module} (deep reflection) to the module of {@code to}. */
    static void open(Instrumentation inst, String module, String pkg, Class<?> to) throws Exception {
        redefine(inst, module, pkg, to, true);
    }

    private static void redefine(Instrumentation inst, String moduleName, String pkg, Class<?> to, boolean open)
            throws Exception {
        Method getModule;
        try {
            getModule = Class.class.getMethod("getModule");
        } catch (NoSuchMethodException java8) {
            return;
        }
        Class<?> moduleClass = Class.forName("java.lang.Module");
        Class<?> layerClass = Class.forName("java.lang.ModuleLayer");
        Object bootLayer = layerClass.getMethod("boot").invoke(null);
        Optional<?> module = (Optional<?>) layerClass.getMethod("findModule", String.class).invoke(bootLayer, moduleName);
        if (!module.isPresent()) {
            return; // a JDK without that module has nothing to patch there either
        }
        Map<String, Set<?>> grant = Collections.<String, Set<?>>singletonMap(pkg, Collections.singleton(getModule.invoke(to)));
        Map<String, Set<?>> none = Collections.emptyMap();
        Instrumentation.class.getMethod("redefineModule", moduleClass, Set.class, Map.class, Map.class, Set.class, Map.class)
                .invoke(inst, module.get(), Collections.emptySet(), open ? none : grant, open ? grant : none,
                        Collections.emptySet(), Collections.emptyMap());
    }
}
