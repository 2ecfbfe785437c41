package io.tagalong.agent;

import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link Modules} on Java 9+: compiled at release 9 (src/main/java9) and reached only after a version check, so the
 * Java 8 agent calls the module API directly instead of through reflection, which spins method handles on JDK 18+
 * (JEP 416) and cost ~20 ms of every start on JDK 25.
 */
final class ModulesJava9 {
    private ModulesJava9() {}

    static void redefine(Instrumentation inst, String moduleName, String pkg, Class<?> to, boolean open) {
        Optional<Module> module = ModuleLayer.boot().findModule(moduleName);
        if (!module.isPresent()) {
            return; // a JDK without that module has nothing to patch there either
        }
        Map<String, Set<Module>> grant = Collections.singletonMap(pkg, Collections.singleton(to.getModule()));
        Map<String, Set<Module>> none = Collections.emptyMap();
        // An export also makes the module read the hooks' module, which its patched classes call (and whose
        // StateField.Carrier they implement): one redefinition instead of a second one when the first class loads,
        // each costing lambdas that the JDK spins inside redefineModule.
        Set<Module> reads = open ? Collections.<Module>emptySet() : Collections.singleton(to.getModule());
        inst.redefineModule(module.get(), reads, open ? none : grant, open ? grant : none,
                Collections.emptySet(), Collections.emptyMap());
    }
}
