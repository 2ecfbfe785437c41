package io.tagalong.agent;

import io.tagalong.bootstrap.Config;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.Tagalong;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Starts Tagalong: configuration and pipeline, then the one transformer with the enabled instrumentations. */
public final class Agent {
    private Agent() {}

    public static void start(Instrumentation inst, String args, boolean runtimeAttach) {
        long started = System.nanoTime();
        Config config = Config.load();
        Tagalong.start(config);

        List<InstrumentationSpec> enabled = new ArrayList<InstrumentationSpec>();
        for (InstrumentationSpec instrumentation : Instrumentations.all()) {
            if (config.instrumentationEnabled(instrumentation.name)) {
                enabled.add(instrumentation);
            }
        }
        PatchTransformer transformer = new PatchTransformer(enabled);
        int retransformed = 0;
        if (!transformer.isEmpty()) {
            exportToHooks(inst, enabled);
            inst.addTransformer(transformer, true);
            retransformed = retransformLoaded(inst, transformer);
        }
        Log.debug("started " + (runtimeAttach ? "(attached at run time) " : "") + "in "
                + (System.nanoTime() - started) / 1000000 + " ms: " + names(enabled) + " enabled, "
                + retransformed + " loaded classes retransformed");
    }

    /**
     * Retransforms the classes to patch that are loaded already: all of them at run-time attach, and at start any
     * that another agent (the OpenTelemetry agent, say) loaded first. Names only, nothing else is touched.
     */
    private static int retransformLoaded(Instrumentation inst, PatchTransformer transformer) {
        Set<String> names = transformer.classNames();
        List<Class<?>> loaded = new ArrayList<Class<?>>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (names.contains(c.getName()) && inst.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        for (Class<?> c : loaded) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                Log.warn("could not instrument the loaded class " + c.getName() + ": " + t);
            }
        }
        return loaded.size();
    }

    /**
     * The hooks live in the unnamed module of the bootstrap class loader and call JDK internals reflectively:
     * export those packages to it. Java 8 has no modules: nothing to do. Reflection, as this is Java 8 bytecode.
     */
    private static void exportToHooks(Instrumentation inst, List<InstrumentationSpec> instrumentations) {
        Method getModule;
        try {
            getModule = Class.class.getMethod("getModule");
        } catch (NoSuchMethodException java8) {
            return;
        }
        for (InstrumentationSpec instrumentation : instrumentations) {
            for (String export : instrumentation.exportsToHooks) {
                try {
                    int slash = export.indexOf('/');
                    Class<?> moduleClass = Class.forName("java.lang.Module");
                    Class<?> layerClass = Class.forName("java.lang.ModuleLayer");
                    Object bootLayer = layerClass.getMethod("boot").invoke(null);
                    Optional<?> module = (Optional<?>) layerClass.getMethod("findModule", String.class)
                            .invoke(bootLayer, export.substring(0, slash));
                    if (!module.isPresent()) {
                        continue; // a JDK without that module has nothing to patch there either
                    }
                    Object hooks = getModule.invoke(Tagalong.class); // the bootstrap loader's unnamed module
                    Map<String, Set<?>> extraExports =
                            Collections.<String, Set<?>>singletonMap(export.substring(slash + 1), Collections.singleton(hooks));
                    Instrumentation.class.getMethod("redefineModule", moduleClass, Set.class, Map.class, Map.class,
                            Set.class, Map.class).invoke(inst, module.get(), Collections.emptySet(), extraExports,
                            Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
                } catch (Throwable t) {
                    Log.warn(instrumentation.name + ": could not export " + export + " to the hooks: " + t);
                }
            }
        }
    }

    private static String names(List<InstrumentationSpec> instrumentations) {
        List<String> names = new ArrayList<String>();
        for (InstrumentationSpec instrumentation : instrumentations) {
            names.add(instrumentation.name);
        }
        return names.toString();
    }
}
