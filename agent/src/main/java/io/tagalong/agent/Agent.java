package io.tagalong.agent;

import io.tagalong.bootstrap.Config;
import io.tagalong.bootstrap.HolderCopies;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.StateField;
import io.tagalong.bootstrap.Tagalong;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/** Starts Tagalong: configuration and pipeline, then the one transformer with the enabled instrumentations. */
public final class Agent {
    private Agent() {}

    /**
     * AgentLauncher starts the agent by initialising this class (no reflection): the launch arguments come from the
     * AgentClassLoader that defines it.
     */
    static final class Launch {
        private Launch() {}

        static {
            @SuppressWarnings("unchecked")
            Object[] arguments = ((Supplier<Object[]>) Launch.class.getClassLoader()).get();
            start((Instrumentation) arguments[0], (String) arguments[1], (Boolean) arguments[2]);
        }
    }

    public static void start(Instrumentation inst, String args, boolean runtimeAttach) {
        long started = System.nanoTime();
        Config config = Config.load();
        Tagalong.start(config);

        // No spec is built now: each when a class it names loads (its start action, if any, when a class of its
        // Instrumentations.STARTED_BY row loads).
        int lazy = 0;
        for (int i = 0; i < Instrumentations.CLASSES.length; i++) {
            if (config.instrumentationEnabled(Instrumentations.CLASSES[i][0])) lazy |= 1 << i;
        }
        // Added even without patches: it also notices the program's own copies of the context holder.
        PatchTransformer transformer = new PatchTransformer(Collections.<InstrumentationSpec>emptyList(), lazy, inst);
        ClassFileTransformer registered = Modules.readingHooks(transformer, inst, transformer.carriers(), StateField.class);
        inst.addTransformer(registered, !transformer.isEmpty());
        for (String[] row : Instrumentations.READS_HOOKS_THROUGH) {
            if (config.instrumentationEnabled(row[0])) Modules.loadAsCopy(registered, row[1]);
        }
        int retransformed = scanLoaded(inst, transformer);
        if (Log.debug) {
            Log.debug("started " + (runtimeAttach ? "(attached at run time) " : "") + "in "
                    + (System.nanoTime() - started) / 1000000 + " ms: " + names(config) + " enabled, "
                    + retransformed + " loaded classes retransformed");
        }
    }

    /**
     * Retransforms the classes to patch that are loaded already: all of them at run-time attach, and at start any
     * that another agent (the OpenTelemetry agent, say) loaded first. Names only, nothing else is touched.
     * Also notices the copies of the context holder that the program loaded itself (before a run-time attach).
     */
    private static int scanLoaded(Instrumentation inst, PatchTransformer transformer) {
        List<Class<?>> loaded = new ArrayList<Class<?>>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String name = c.getName(); // ~1000 classes at start, interpreted: the internal name only for a likely one
            if (transformer.mayInstrument(name) && !c.isArray()
                    && transformer.instruments(name.replace('.', '/'), c.getClassLoader()) && inst.isModifiableClass(c)) {
                loaded.add(c);
            } else if (PatchTransformer.HOLDER.equals(name) && c.getClassLoader() != null) {
                HolderCopies.noticeLoaded(c);
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

    private static String names(Config config) {
        List<String> names = new ArrayList<String>();
        for (String[] row : Instrumentations.CLASSES) {
            if (config.instrumentationEnabled(row[0])) names.add(row[0]);
        }
        return names.toString();
    }
}
