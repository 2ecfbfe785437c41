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
    /** Emits instructions into the method being patched. */
    public interface Code {
        void emit(Instructions code);

        /**
         * @param stateField the class gets the state field in this transformation (it loads now), so the code may
         *                   read it directly ({@code GETFIELD owner.tagalong$state}) instead of through StateField
         */
        default void emit(Instructions code, boolean stateField) {
            emit(code);
        }
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

    @Override
    public String toString() {
        return className + "#" + methodName + descriptor;
    }
}
