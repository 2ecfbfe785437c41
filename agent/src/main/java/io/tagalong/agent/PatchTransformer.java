package io.tagalong.agent;

import io.tagalong.bootstrap.HolderCopies;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.StateField;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's one transformer. It runs for every class the JVM loads, so a class that no patch names costs one map
 * lookup. A named class is patched by {@link ClassFilePatcher}, which resolves no type, so transforming never loads
 * a class.
 */
final class PatchTransformer implements ClassFileTransformer {
    /** A patch and the instrumentation it belongs to (for the log). */
    static final class Target {
        final String instrumentation;
        final MethodPatch patch;
        final List<String> helpers;

        Target(String instrumentation, MethodPatch patch, List<String> helpers) {
            this.instrumentation = instrumentation;
            this.patch = patch;
            this.helpers = helpers;
        }
    }

    /** The context holder: a copy that a class loader other than the bootstrap one defines is the program's own. */
    static final String HOLDER = "io.tagalong.StorageHeaders";
    private static final String HOLDER_INTERNAL = "io/tagalong/StorageHeaders";

    /** Internal class name -> the patches for that class. */
    private final Map<String, List<Target>> targets;
    /** Internal names of the classes that get the per-object state field when they load. */
    private final Set<String> carriers = new HashSet<String>();

    PatchTransformer(Collection<InstrumentationSpec> instrumentations) {
        Map<String, List<Target>> byClass = new HashMap<String, List<Target>>();
        for (InstrumentationSpec instrumentation : instrumentations) {
            for (MethodPatch patch : instrumentation.patches) {
                List<Target> list = byClass.get(patch.className);
                if (list == null) {
                    list = new ArrayList<Target>();
                    byClass.put(patch.className, list);
                }
                list.add(new Target(instrumentation.name, patch, instrumentation.helpers));
            }
            carriers.addAll(instrumentation.carriers);
        }
        this.targets = byClass;
    }

    /** Binary names (with dots) of the classes this transformer patches, to find those loaded already. */
    Set<String> classNames() {
        Set<String> names = new HashSet<String>();
        for (String internalName : targets.keySet()) {
            names.add(internalName.replace('/', '.'));
        }
        return names;
    }

    /** Internal names of the classes that get the state field. */
    Set<String> carriers() {
        return carriers;
    }

    boolean isEmpty() {
        return targets.isEmpty() && carriers.isEmpty();
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        List<Target> patches = targets.get(className);
        // A loaded class cannot change its shape: it keeps the field it was loaded with (a retransformation starts
        // again from the original bytes), and one loaded without keeps its objects' state in StateField's map.
        boolean addStateField = carriers.contains(className)
                && (classBeingRedefined == null || StateField.Carrier.class.isAssignableFrom(classBeingRedefined));
        if (patches == null && !addStateField) {
            if (loader != null && classBeingRedefined == null && className.equals(HOLDER_INTERNAL)) {
                HolderCopies.noticeDefining(loader); // read, never changed
            }
            return null;
        }
        if (patches == null) {
            patches = Collections.emptyList();
        }
        try {
            byte[] patched = patch(className, patches, addStateField, classfileBuffer);
            if (patched != null) {
                for (Target target : patches) {
                    if (!HelperInjector.inject(loader, target.helpers, protectionDomain)) {
                        return null; // the inserted calls would have nothing to call
                    }
                }
            }
            return patched;
        } catch (Throwable t) {
            Log.warnOnce("transform " + className, "could not instrument " + className.replace('/', '.')
                    + ", left as it is: " + t);
            return null;
        }
    }

    /** The patched class, or null to leave it as it is. */
    static byte[] patch(String className, List<Target> patches, boolean addStateField, byte[] classfile) {
        ClassFilePatcher shape = new ClassFilePatcher(classfile);
        if (shape.referencesTagalong()) {
            Log.debug(className.replace('/', '.') + " already calls Tagalong; not instrumented again");
            return null;
        }
        Map<String, MethodPatch> fitting = new HashMap<String, MethodPatch>();
        Set<String> groupsDone = new HashSet<String>();
        List<Target> misfits = new ArrayList<Target>();
        for (Target target : patches) {
            String group = target.patch.group;
            if (group != null && groupsDone.contains(group)) {
                continue; // an earlier alternative fits
            }
            if (fits(shape, target.patch)) {
                fitting.put(target.patch.methodName + target.patch.descriptor, target.patch);
                if (group != null) {
                    groupsDone.add(group);
                }
            } else {
                misfits.add(target);
            }
        }
        for (Target target : misfits) {
            if (target.patch.group == null || !groupsDone.contains(target.patch.group)) {
                Log.warnOnce(target.instrumentation + " shape " + className, target.instrumentation + ": "
                        + className.replace('/', '.') + " does not have the expected shape; not instrumented");
            }
        }
        // The field serves the patches: a class whose patches do not fit gets none (one without patches is a carrier only).
        boolean stateField = addStateField && !shape.isInterface() && (patches.isEmpty() || !fitting.isEmpty());
        if (fitting.isEmpty() && !stateField) {
            return null;
        }
        return shape.patch(fitting.values(), stateField);
    }

    private static boolean fits(ClassFilePatcher shape, MethodPatch patch) {
        if (!shape.hasCode(patch.methodName, patch.descriptor)) {
            return false;
        }
        for (int i = 0; i < patch.requiredFields.size(); i += 2) {
            if (!shape.hasField(patch.requiredFields.get(i), patch.requiredFields.get(i + 1))) {
                return false;
            }
        }
        return true;
    }
}
