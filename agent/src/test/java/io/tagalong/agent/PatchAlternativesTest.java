package io.tagalong.agent;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Patch groups (alternatives per library version) and the java-http-client patch on the JDK's own class. */
class PatchAlternativesTest {
    private static final String FAKE = "com/example/Chain";

    @Test
    void onlyTheFirstFittingAlternativeIsApplied() {
        List<MethodPatch> patches = List.of(marker("missing"), marker("a"), marker("b"));
        byte[] patched = new PatchTransformer(List.of(new InstrumentationSpec("test", patches)))
                .transform(null, FAKE, null, null, fakeClass("a", "b"));
        assertEquals(List.of("a"), markedMethods(patched));
    }

    @Test
    void noAlternativeFitsNothingIsPatched() {
        byte[] patched = new PatchTransformer(List.of(new InstrumentationSpec("test", List.of(marker("x"), marker("y")))))
                .transform(null, FAKE, null, null, fakeClass("a", "b"));
        assertNull(patched);
    }

    @Test
    void httpRequestImplOfThisJdkGetsTheFirstHopAndOneFollowUpConstructorAndStillVerifies() throws IOException {
        String name = JavaHttpClientInstrumentation.REQUEST_IMPL;
        byte[] patched = new PatchTransformer(List.of(JavaHttpClientInstrumentation.spec()))
                .transform(null, name, null, null, jdkClassFile(name));
        assertNotNull(patched);
        List<String> hooked = new ArrayList<>();
        for (MethodNode m : classNode(patched).methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof MethodInsnNode call && call.owner.equals(JavaHttpClientInstrumentation.HOOK)) {
                    hooked.add(m.desc);
                }
            }
        }
        // JDK 17: (URI, String, HttpRequestImpl, boolean); 21+: the one with the Optional filter it delegates to
        String followUp = Runtime.version().feature() >= 21
                ? "(Ljava/net/URI;Ljava/lang/String;Ljdk/internal/net/http/HttpRequestImpl;ZLjava/util/Optional;)V"
                : "(Ljava/net/URI;Ljava/lang/String;Ljdk/internal/net/http/HttpRequestImpl;Z)V";
        assertEquals(List.of("(Ljava/net/http/HttpRequest;Ljava/net/ProxySelector;)V", followUp), hooked);
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(patched), getClass().getClassLoader(), false, new PrintWriter(problems));
        assertEquals("", problems.toString());
    }

    private static MethodPatch marker(String method) {
        return MethodPatch.atEntry(FAKE, method, "()V", new MethodPatch.Code().invokestatic("io/tagalong/Marker", "hit", "()V")).inGroup("one");
    }

    private static byte[] fakeClass(String... methods) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, FAKE, null, "java/lang/Object", null);
        for (String name : methods) {
            MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC, name, "()V", null, null);
            method.visitCode();
            method.visitInsn(Opcodes.RETURN);
            method.visitMaxs(0, 0);
            method.visitEnd();
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static List<String> markedMethods(byte[] classFile) {
        List<String> marked = new ArrayList<>();
        for (MethodNode m : classNode(classFile).methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof MethodInsnNode call && call.owner.equals("io/tagalong/Marker")) marked.add(m.name);
            }
        }
        return marked;
    }

    private static ClassNode classNode(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        return node;
    }

    private static byte[] jdkClassFile(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            assertNotNull(in, internalName);
            return in.readAllBytes();
        }
    }
}
