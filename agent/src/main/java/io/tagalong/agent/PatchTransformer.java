package io.tagalong.agent;

import io.tagalong.bootstrap.Log;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's one transformer. It runs for every class the JVM loads, so a class that no patch names costs one map
 * lookup. A named class is patched with ASM without computing frames and without resolving any type, so that
 * transforming never loads a class.
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

    /** Internal class name -> the patches for that class. */
    private final Map<String, List<Target>> targets;

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

    boolean isEmpty() {
        return targets.isEmpty();
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        List<Target> patches = targets.get(className);
        if (patches == null) {
            return null;
        }
        try {
            byte[] patched = patch(className, patches, classfileBuffer);
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

    /**
     * The patched class, or null to leave it as it is. One pass: fields come before methods in a class file, so
     * whether a method's patch fits (its method has code, the fields it reads exist) is known when the method is
     * reached; a patch that did not fit is reported at the end. Methods without a patch are copied as they are.
     */
    static byte[] patch(String className, List<Target> patches, byte[] classfile) {
        ClassReader reader = new ClassReader(classfile);
        // COMPUTE_MAXS only: frames stay as they are, since the inserted code leaves stack and locals unchanged.
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        Patcher patcher = new Patcher(writer, patches);
        reader.accept(patcher, 0);
        if (patcher.alreadyPatched) {
            Log.debug(className.replace('/', '.') + " already calls Tagalong; not instrumented again");
            return null;
        }
        for (Target target : patches) {
            if (!patcher.applied.contains(target.patch)) {
                Log.warnOnce(target.instrumentation + " shape " + className, target.instrumentation + ": "
                        + className.replace('/', '.') + " does not have the expected shape; not instrumented");
            }
        }
        return patcher.applied.isEmpty() ? null : writer.toByteArray();
    }

    private static final class Patcher extends ClassVisitor {
        private final List<Target> patches;
        /** "name:descriptor" of the fields seen so far (all of them by the first method). */
        private final Set<String> fields = new HashSet<String>();
        final Set<MethodPatch> applied = new HashSet<MethodPatch>();
        boolean alreadyPatched;

        Patcher(ClassVisitor next, List<Target> patches) {
            super(Opcodes.ASM9, next);
            this.patches = patches;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            fields.add(name + ":" + descriptor);
            return super.visitField(access, name, descriptor, signature, value);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                return next;
            }
            for (Target target : patches) {
                MethodPatch patch = target.patch;
                if (patch.methodName.equals(name) && patch.descriptor.equals(descriptor) && hasFields(patch)) {
                    applied.add(patch);
                    return new PatchedMethod(next, patch, this);
                }
            }
            return next;
        }

        private boolean hasFields(MethodPatch patch) {
            for (int i = 0; i < patch.requiredFields.size(); i += 2) {
                if (!fields.contains(patch.requiredFields.get(i) + ":" + patch.requiredFields.get(i + 1))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class PatchedMethod extends MethodVisitor {
        private final MethodPatch patch;
        private final Patcher patcher;

        PatchedMethod(MethodVisitor next, MethodPatch patch, Patcher patcher) {
            super(Opcodes.ASM9, next);
            this.patch = patch;
            this.patcher = patcher;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (patch.atEntry != null) {
                patch.atEntry.emit(mv); // straight to the writer, not through this visitor
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (patch.beforeReturn != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                patch.beforeReturn.emit(mv);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            // The original method already calls a Tagalong hook: another copy of the agent patched it.
            if (owner.startsWith("io/tagalong/")) {
                patcher.alreadyPatched = true;
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }
    }
}
