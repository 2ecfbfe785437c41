package io.tagalong.agent;

import io.tagalong.bootstrap.HolderCopies;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.StateField;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
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
        ClassReader reader = new ClassReader(classfile);
        Shape shape = new Shape();
        reader.accept(shape, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);

        Map<String, MethodPatch> fitting = new HashMap<String, MethodPatch>();
        Set<String> groupsDone = new HashSet<String>();
        List<Target> misfits = new ArrayList<Target>();
        for (Target target : patches) {
            String group = target.patch.group;
            if (group != null && groupsDone.contains(group)) {
                continue; // an earlier alternative fits
            }
            if (shape.fits(target.patch)) {
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
        boolean stateField = addStateField && shape.canCarryState() && (patches.isEmpty() || !fitting.isEmpty());
        if (fitting.isEmpty() && !stateField) {
            return null;
        }
        // COMPUTE_MAXS only: frames stay as they are, since the inserted code leaves stack and locals unchanged.
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        Patcher patcher = new Patcher(stateField ? new StateFieldAdder(writer) : writer, fitting, stateField);
        reader.accept(patcher, 0);
        if (patcher.alreadyPatched) {
            Log.debug(className.replace('/', '.') + " already calls Tagalong; not instrumented again");
            return null;
        }
        return writer.toByteArray();
    }

    /** Which fields and methods the class declares. */
    private static final class Shape extends ClassVisitor {
        private final Set<String> members = new HashSet<String>();
        private boolean isInterface;

        Shape() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
        }

        /** A class, and not one that has the field already (patched by another copy of the agent). */
        boolean canCarryState() {
            return !isInterface && !members.contains(StateField.FIELD + ":" + OBJECT);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            members.add(name + ":" + descriptor);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
                members.add(name + descriptor);
            }
            return null;
        }

        boolean fits(MethodPatch patch) {
            if (!members.contains(patch.methodName + patch.descriptor)) {
                return false;
            }
            for (int i = 0; i < patch.requiredFields.size(); i += 2) {
                if (!members.contains(patch.requiredFields.get(i) + ":" + patch.requiredFields.get(i + 1))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final String OBJECT = "Ljava/lang/Object;";
    private static final String CARRIER = "io/tagalong/bootstrap/StateField$Carrier";

    /**
     * Adds {@code private transient volatile Object tagalong$state} and the {@link StateField.Carrier} methods that
     * read and write it. Volatile: the state is written on the thread that makes a request and read on the one that
     * sends it. Synthetic, so that tools that list a class's members skip them.
     */
    private static final class StateFieldAdder extends ClassVisitor {
        private String owner;

        StateFieldAdder(ClassVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            owner = name;
            String[] more = Arrays.copyOf(interfaces == null ? new String[0] : interfaces, interfaces == null ? 1 : interfaces.length + 1);
            more[more.length - 1] = CARRIER;
            super.visit(version, access, name, signature, superName, more);
        }

        @Override
        public void visitEnd() {
            int synthetic = Opcodes.ACC_SYNTHETIC;
            super.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_TRANSIENT | Opcodes.ACC_VOLATILE | synthetic,
                    StateField.FIELD, OBJECT, null, null).visitEnd();
            MethodVisitor get = super.visitMethod(Opcodes.ACC_PUBLIC | synthetic, StateField.FIELD, "()" + OBJECT, null, null);
            get.visitCode();
            get.visitVarInsn(Opcodes.ALOAD, 0);
            get.visitFieldInsn(Opcodes.GETFIELD, owner, StateField.FIELD, OBJECT);
            get.visitInsn(Opcodes.ARETURN);
            get.visitMaxs(0, 0);
            get.visitEnd();
            MethodVisitor set = super.visitMethod(Opcodes.ACC_PUBLIC | synthetic, StateField.FIELD, "(" + OBJECT + ")V", null, null);
            set.visitCode();
            set.visitVarInsn(Opcodes.ALOAD, 0);
            set.visitVarInsn(Opcodes.ALOAD, 1);
            set.visitFieldInsn(Opcodes.PUTFIELD, owner, StateField.FIELD, OBJECT);
            set.visitInsn(Opcodes.RETURN);
            set.visitMaxs(0, 0);
            set.visitEnd();
            super.visitEnd();
        }
    }

    private static final class Patcher extends ClassVisitor {
        private final Map<String, MethodPatch> patches;
        final boolean stateField;
        boolean alreadyPatched;

        Patcher(ClassVisitor next, Map<String, MethodPatch> patches, boolean stateField) {
            super(Opcodes.ASM9, next);
            this.patches = patches;
            this.stateField = stateField;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            MethodPatch patch = patches.get(name + descriptor);
            return patch == null ? next : new PatchedMethod(next, patch, this);
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
                patch.atEntry.emit(mv, patcher.stateField); // straight to the writer, not through this visitor
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (patch.beforeReturn != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                patch.beforeReturn.emit(mv, patcher.stateField);
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
