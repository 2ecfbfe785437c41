package io.tagalong.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One method to patch, as data: which class and method (exact internal name and descriptor), what the class must
 * look like for the patch to fit, and the code to insert. The code is straight-line (no branches) and must leave the
 * operand stack and the locals as it found them (frames are not recomputed).
 */
public final class MethodPatch {
    /**
     * Code to insert, as data: built by calling the {@link Instructions} methods in order
     * ({@code new Code().aload(0).invokestatic(HOOK, "onCall", "(Ljava/lang/Object;)V")}), replayed into the method
     * being patched. Data rather than a class per patch: every instrumentation's patches are built at start, and each
     * class would be loaded and verified then.
     */
    public static final class Code implements Instructions {
        /** Each instruction: its name, then its operands. */
        private final List<Object[]> instructions = new ArrayList<Object[]>();
        private Code withStateField;

        private Code add(Object... instruction) {
            instructions.add(instruction);
            return this;
        }

        /** Emitted instead of this code when the class gets the state field in this transformation (it loads now). */
        public Code orWithStateField(Code code) {
            withStateField = code;
            return this;
        }

        /** This code with the names in its operands mapped to a relocated copy's. */
        Code relocated(Relocation relocation) {
            Code mapped = new Code();
            for (Object[] instruction : instructions) {
                Object[] copy = instruction.clone();
                for (int k = 1; k < copy.length; k++) {
                    if (copy[k] instanceof String) copy[k] = relocation.map((String) copy[k]);
                }
                mapped.instructions.add(copy);
            }
            mapped.withStateField = withStateField == null ? null : withStateField.relocated(relocation);
            return mapped;
        }

        void emit(Instructions out, boolean stateField) {
            if (stateField && withStateField != null) {
                withStateField.emit(out, false);
                return;
            }
            for (Object[] i : instructions) {
                String op = (String) i[0];
                if (op.equals("aload")) out.aload((Integer) i[1]);
                else if (op.equals("astore")) out.astore((Integer) i[1]);
                else if (op.equals("dup")) out.dup();
                else if (op.equals("aconstNull")) out.aconstNull();
                else if (op.equals("getfield")) out.getfield((String) i[1], (String) i[2], (String) i[3]);
                else if (op.equals("putfield")) out.putfield((String) i[1], (String) i[2], (String) i[3]);
                else if (op.equals("invokestatic")) out.invokestatic((String) i[1], (String) i[2], (String) i[3]);
                else if (op.equals("invokevirtual")) out.invokevirtual((String) i[1], (String) i[2], (String) i[3]);
                else if (op.equals("checkcast")) out.checkcast((String) i[1]);
                else throw new IllegalStateException(op);
            }
        }

        @Override public Code aload(int slot) { return add("aload", slot); }
        @Override public Code astore(int slot) { return add("astore", slot); }
        @Override public Code dup() { return add("dup"); }
        @Override public Code aconstNull() { return add("aconstNull"); }
        @Override public Code getfield(String owner, String name, String descriptor) { return add("getfield", owner, name, descriptor); }
        @Override public Code putfield(String owner, String name, String descriptor) { return add("putfield", owner, name, descriptor); }
        @Override public Code invokestatic(String owner, String name, String descriptor) { return add("invokestatic", owner, name, descriptor); }
        @Override public Code invokevirtual(String owner, String name, String descriptor) { return add("invokevirtual", owner, name, descriptor); }
        @Override public Code checkcast(String internalName) { return add("checkcast", internalName); }
    }

    /**
     * The instructions a patch may insert, named as the JVM names them; internal names and descriptors as in class
     * files. Locals: {@code this} is 0 in an instance method, then the arguments (a long or double takes two slots).
     * The agent's class-file patcher writes them; anything that emits bytecode (ASM in the tests) can too.
     */
    public interface Instructions {
        Instructions aload(int slot);

        Instructions astore(int slot);

        Instructions dup();

        Instructions aconstNull();

        Instructions getfield(String owner, String name, String descriptor);

        Instructions putfield(String owner, String name, String descriptor);

        Instructions invokestatic(String owner, String name, String descriptor);

        Instructions invokevirtual(String owner, String name, String descriptor);

        Instructions checkcast(String internalName);
    }

    final String className;
    final String methodName;
    final String descriptor;
    /** name, descriptor, name, descriptor, ... of fields the inserted code reads. */
    final List<String> requiredFields;
    final Code atEntry;
    final Code beforeReturn;
    /**
     * Patches of one class in the same group are alternatives for different library versions: the first one (in the
     * order the instrumentation lists them) that fits is applied, and the class is reported only if none fits.
     */
    final String group;

    private MethodPatch(String className, String methodName, String descriptor, List<String> requiredFields,
                        Code atEntry, Code beforeReturn, String group) {
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.requiredFields = requiredFields;
        this.atEntry = atEntry;
        this.beforeReturn = beforeReturn;
        this.group = group;
    }

    /** Inserts {@code code} at the entry of {@code className#methodName descriptor}. */
    public static MethodPatch atEntry(String className, String methodName, String descriptor, Code code) {
        return new MethodPatch(className, methodName, descriptor, Collections.<String>emptyList(), code, null, null);
    }

    /** Inserts {@code code} before every normal return (not a throw) of the method. */
    public static MethodPatch beforeReturn(String className, String methodName, String descriptor, Code code) {
        return new MethodPatch(className, methodName, descriptor, Collections.<String>emptyList(), null, code, null);
    }

    /** Inserts {@code entry} at the entry of the method and {@code exit} before every normal return (not a throw). */
    public static MethodPatch around(String className, String methodName, String descriptor, Code entry, Code exit) {
        return new MethodPatch(className, methodName, descriptor, Collections.<String>emptyList(), entry, exit, null);
    }

    /** The patch fits only if the class declares this field (one the inserted code reads). */
    public MethodPatch requiresField(String name, String fieldDescriptor) {
        List<String> fields = new ArrayList<String>(requiredFields);
        fields.add(name);
        fields.add(fieldDescriptor);
        return new MethodPatch(className, methodName, descriptor, Collections.unmodifiableList(fields), atEntry,
                beforeReturn, group);
    }

    /** This patch is one of the alternatives named {@code group} (see {@link #group}). */
    public MethodPatch inGroup(String group) {
        return new MethodPatch(className, methodName, descriptor, requiredFields, atEntry, beforeReturn, group);
    }

    /** The same patch for a relocated copy of the library: every class name and descriptor mapped. */
    MethodPatch relocated(Relocation relocation) {
        List<String> fields = new ArrayList<String>(requiredFields);
        for (int i = 1; i < fields.size(); i += 2) {
            fields.set(i, relocation.map(fields.get(i)));
        }
        return new MethodPatch(relocation.map(className), methodName, relocation.map(descriptor),
                Collections.unmodifiableList(fields), atEntry == null ? null : atEntry.relocated(relocation),
                beforeReturn == null ? null : beforeReturn.relocated(relocation), group);
    }

    @Override
    public String toString() {
        return className + "#" + methodName + descriptor;
    }
}
