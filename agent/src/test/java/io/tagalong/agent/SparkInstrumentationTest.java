package io.tagalong.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Every Spark patch fits Spark 4.0.4's own classes: each target method calls its hook once patched. */
class SparkInstrumentationTest {
    @Test
    void everyPatchFitsSpark40AndCallsItsHook() throws Exception {
        PatchTransformer transformer = new PatchTransformer(List.of(SparkInstrumentation.spec()));
        Set<String> calls = new TreeSet<>();
        for (String name : List.of(SparkInstrumentation.DAG, SparkInstrumentation.CONTEXT, SparkInstrumentation.SQL_EXECUTION)) {
            byte[] original;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(name + ".class")) {
                original = in.readAllBytes();
            }
            byte[] patched = transformer.transform(null, name, null, null, original);
            assertNotNull(patched, name);
            new ClassReader(patched).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String method, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String hook, String hookDescriptor, boolean itf) {
                            if (owner.equals(SparkInstrumentation.HELPER)) calls.add(method + " -> " + hook);
                        }
                    };
                }
            }, 0);
        }
        assertEquals("[runApproximateJob -> jobSubmitted, setTaskContext -> taskStarted, submitJob -> jobSubmitted, "
                + "submitMapStage -> jobSubmitted, unset -> taskEnded, withThreadLocalCaptured -> queryBody]", calls.toString());
    }
}
