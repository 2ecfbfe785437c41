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
 */
final class HooksReadableTransformer implements ClassFileTransformer {
    private final ClassFileTransformer patcher;
    private final Instrumentation inst;
    private final Set<String> carriers;
    private final Module hooks;

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
        // Asked after patching: the carriers are known once the patcher has built the spec that names the class.
        if (patched != null && module != null && module.isNamed() && carriers.contains(className) && !readsHooks(module)) {
            return null;
        }
        return patched;
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
