package io.tagalong.agent;

import io.tagalong.bootstrap.StateField;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.Arrays;
import java.util.Map;

/**
 * The same patches written with ASM, as the agent did before its own patcher: the reference that
 * {@link ClassFilePatcher}'s output is compared with. Also shows that {@link MethodPatch.Code} replays into any
 * bytecode writer (ASM could serve a rare patch the class-file patcher does not cover).
 */
final class AsmReferencePatcher {
    private AsmReferencePatcher() {}

    private static final String OBJECT = "Ljava/lang/Object;";
    private static final String CARRIER = "io/tagalong/bootstrap/StateField$Carrier";

    /** {@code patches}: method name + descriptor -> patch. */
    static byte[] patch(byte[] classfile, Map<String, MethodPatch> patches, boolean stateField) {
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        ClassVisitor next = stateField ? new StateFieldAdder(writer) : writer;
        reader.accept(new ClassVisitor(Opcodes.ASM9, next) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                MethodPatch patch = patches.get(name + descriptor);
                return patch == null ? mv : new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        if (patch.atEntry != null) patch.atEntry.emit(new Emitter(mv), stateField);
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (patch.beforeReturn != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                            patch.beforeReturn.emit(new Emitter(mv), stateField);
                        }
                        super.visitInsn(opcode);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    /** {@link MethodPatch.Instructions} onto an ASM MethodVisitor. */
    static final class Emitter implements MethodPatch.Instructions {
        private final MethodVisitor mv;

        Emitter(MethodVisitor mv) {
            this.mv = mv;
        }

        @Override public Emitter aload(int slot) { mv.visitVarInsn(Opcodes.ALOAD, slot); return this; }
        @Override public Emitter astore(int slot) { mv.visitVarInsn(Opcodes.ASTORE, slot); return this; }
        @Override public Emitter dup() { mv.visitInsn(Opcodes.DUP); return this; }
        @Override public Emitter aconstNull() { mv.visitInsn(Opcodes.ACONST_NULL); return this; }
        @Override public Emitter getfield(String owner, String name, String descriptor) {
            mv.visitFieldInsn(Opcodes.GETFIELD, owner, name, descriptor);
            return this;
        }
        @Override public Emitter putfield(String owner, String name, String descriptor) {
            mv.visitFieldInsn(Opcodes.PUTFIELD, owner, name, descriptor);
            return this;
        }
        @Override public Emitter invokestatic(String owner, String name, String descriptor) {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, name, descriptor, false);
            return this;
        }
        @Override public Emitter invokevirtual(String owner, String name, String descriptor) {
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, name, descriptor, false);
            return this;
        }
        @Override public Emitter checkcast(String internalName) { mv.visitTypeInsn(Opcodes.CHECKCAST, internalName); return this; }
    }

    /** The state field, its interface and accessors, as the agent added them with ASM. */
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
}
