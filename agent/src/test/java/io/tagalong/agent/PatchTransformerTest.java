package io.tagalong.agent;

import io.tagalong.bootstrap.StateField;
import io.tagalong.instrumentation.httpurlconnection.RequestHeaders;
import io.tagalong.instrumentation.httpurlconnection.HttpUrlConnectionHook;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static io.tagalong.agent.HttpUrlConnectionInstrumentation.CONNECTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transformer on the class files of the JDK that runs the test, and on small classes made here. */
class PatchTransformerTest {
    private final PatchTransformer transformer =
            new PatchTransformer(List.of(HttpUrlConnectionInstrumentation.spec()));

    @Test
    void writeRequestsOfTheRealHttpUrlConnectionStartsWithTheHookCall() throws IOException {
        byte[] patched = transform(CONNECTION, jdkClassFile(CONNECTION));
        assertNotNull(patched, "the JDK's HttpURLConnection was not patched");

        List<AbstractInsnNode> start = firstInstructions(method(patched, "writeRequests", "()V"), 4);
        assertEquals(Opcodes.ALOAD, start.get(0).getOpcode());
        assertEquals(0, ((VarInsnNode) start.get(0)).var);
        assertEquals(Opcodes.ALOAD, start.get(1).getOpcode());
        assertEquals(0, ((VarInsnNode) start.get(1)).var);
        FieldInsnNode requests = (FieldInsnNode) start.get(2);
        assertEquals(List.of(Opcodes.GETFIELD, CONNECTION, "requests", "Lsun/net/www/MessageHeader;"),
                List.of(requests.getOpcode(), requests.owner, requests.name, requests.desc));
        MethodInsnNode hook = (MethodInsnNode) start.get(3);
        assertEquals(List.of(Opcodes.INVOKESTATIC, "io/tagalong/instrumentation/httpurlconnection/HttpUrlConnectionHook",
                        "beforeWriteRequests", "(Ljava/net/HttpURLConnection;Ljava/lang/Object;)V"),
                List.of(hook.getOpcode(), hook.owner, hook.name, hook.desc));
    }

    @Test
    void thePatchedClassStillVerifies() throws IOException {
        byte[] patched = transform(CONNECTION, jdkClassFile(CONNECTION));
        StringWriter problems = new StringWriter();
        // Data-flow verification of every method, with the real JDK and hook classes for the type checks.
        CheckClassAdapter.verify(new ClassReader(patched), getClass().getClassLoader(), false, new PrintWriter(problems));
        assertEquals("", problems.toString());
    }

    @Test
    void onlyWriteRequestsChangesAndOnlyByTheFourInsertedInstructionsBesidesTheStateField() throws IOException {
        ClassNode original = classNode(jdkClassFile(CONNECTION));
        ClassNode patched = classNode(transform(CONNECTION, jdkClassFile(CONNECTION)));
        assertEquals(original.fields.size() + 1, patched.fields.size());
        assertEquals(StateField.FIELD, patched.fields.get(patched.fields.size() - 1).name);
        List<String> expected = new ArrayList<>();
        for (String size : sizes(original, true)) {
            expected.add(size.startsWith("writeRequests()V=")
                    ? "writeRequests()V=" + (Integer.parseInt(size.substring(size.indexOf('=') + 1)) + 4) : size);
        }
        expected.add(StateField.FIELD + "()Ljava/lang/Object;=3");
        expected.add(StateField.FIELD + "(Ljava/lang/Object;)V=4");
        expected.add("tagalong$findValue(Ljava/lang/String;)Ljava/lang/String;=5");
        expected.add("tagalong$remove(Ljava/lang/String;)V=5");
        expected.add("tagalong$add(Ljava/lang/String;Ljava/lang/String;)V=6");
        expected.add("tagalong$getHeaders()Ljava/util/Map;=4");
        assertEquals(expected, sizes(patched, true));
        List<String> interfaces = new ArrayList<>(original.interfaces);
        interfaces.addAll(List.of("io/tagalong/bootstrap/StateField$Carrier", HttpUrlConnectionInstrumentation.REQUEST_HEADERS));
        assertEquals(interfaces, patched.interfaces);
    }

    /** The hook reaches the connection's MessageHeader through the methods added to the class (no export needed). */
    @Test
    void theAddedMethodsReachTheRequestHeaders() throws Exception {
        Class<?> fake = define(transform(CONNECTION, fakeConnection(true, true)));
        Object connection = fake.getConstructor().newInstance();
        java.lang.reflect.Field requests = fake.getDeclaredField("requests");
        requests.setAccessible(true);
        requests.set(connection, Class.forName("sun.net.www.MessageHeader").getConstructor().newInstance());
        RequestHeaders headers = (RequestHeaders) connection;
        headers.tagalong$add("X-Team", "ml");
        assertEquals("ml", headers.tagalong$findValue("x-team"));
        assertEquals(java.util.Set.of("X-Team"), headers.tagalong$getHeaders().keySet());
        headers.tagalong$remove("X-Team");
        assertNull(headers.tagalong$findValue("X-Team"));
    }

    @Test
    void theStateFieldHoldsWhatIsSetOnEachObject() throws Exception {
        Class<?> fake = define(transform(CONNECTION, fakeConnection(true, true)));
        Object a = fake.getConstructor().newInstance(), b = fake.getConstructor().newInstance();
        assertTrue(a instanceof StateField.Carrier, "the class does not carry the state field");
        StateField.set(a, "state of a");
        assertEquals("state of a", StateField.get(a));
        assertNull(StateField.get(b));
        StateField.set(a, null);
        assertNull(StateField.get(a));
    }

    @Test
    void aRetransformationKeepsTheStateFieldOfAClassLoadedWithIt() throws Exception {
        byte[] original = fakeConnection(true, true);
        Class<?> loadedWithField = define(transform(CONNECTION, original));
        // A retransformation starts again from the original bytes: the field must be added again, or the JVM
        // refuses the new class (a schema change) and the other agent's retransformation fails.
        byte[] again = transformer.transform(null, CONNECTION, loadedWithField, null, original);
        assertTrue(classNode(again).interfaces.contains("io/tagalong/bootstrap/StateField$Carrier"));
        // One loaded before the agent has no field and gets none.
        byte[] withoutField = transformer.transform(null, CONNECTION, Object.class, null, original);
        assertEquals(List.of(), classNode(withoutField).interfaces);
        assertEquals(1, classNode(withoutField).fields.size());
    }

    /** name+descriptor=instruction count of each method; with {@code counts} false just name+descriptor. */
    private static List<String> sizes(ClassNode node, boolean counts) {
        List<String> sizes = new ArrayList<>();
        for (MethodNode m : node.methods) {
            // NOPs are the patcher's alignment padding
            long size = java.util.stream.StreamSupport.stream(m.instructions.spliterator(), false)
                    .filter(insn -> insn.getOpcode() != Opcodes.NOP).count();
            sizes.add(m.name + m.desc + (counts ? "=" + size : ""));
        }
        return sizes;
    }

    @Test
    void theHookTheCodeCallsExistsWithThatDescriptor() throws NoSuchMethodException {
        assertEquals(HttpUrlConnectionInstrumentation.HOOK, Type.getInternalName(HttpUrlConnectionHook.class));
        Method hook = HttpUrlConnectionHook.class.getMethod(HttpUrlConnectionInstrumentation.HOOK_METHOD,
                java.net.HttpURLConnection.class, Object.class);
        assertEquals(HttpUrlConnectionInstrumentation.HOOK_DESCRIPTOR, Type.getMethodDescriptor(hook));
    }

    @Test
    void aClassThatNoPatchNamesIsLeftAlone() throws IOException {
        // Bytes that would fit the patch, under names that are not in the map.
        assertNotPatched(transform("sun/net/www/protocol/https/HttpsURLConnectionImpl", jdkClassFile(CONNECTION)));
        assertNotPatched(transform(null, jdkClassFile(CONNECTION)));
    }

    @Test
    void aClassWithoutTheRequestsFieldIsNotPatched() {
        assertNotPatched(transform(CONNECTION, fakeConnection(false, true)));
        assertNotNull(transform(CONNECTION, fakeConnection(true, true)), "the fake with the field must fit");
    }

    @Test
    void aClassWithoutWriteRequestsIsNotPatched() {
        assertNotPatched(transform(CONNECTION, fakeConnection(true, false)));
    }

    @Test
    void aClassIsNotPatchedTwice() throws IOException {
        byte[] once = transform(CONNECTION, jdkClassFile(CONNECTION));
        assertNotNull(once);
        assertNotPatched(transform(CONNECTION, once));
    }

    @Test
    void beforeReturnRunsBeforeEachNormalReturn() {
        MethodPatch marker = MethodPatch.beforeReturn(CONNECTION, "writeRequests", "()V", new MethodPatch.Code().invokestatic("io/tagalong/Marker", "exit", "()V"));
        PatchTransformer exitTransformer =
                new PatchTransformer(List.of(new InstrumentationSpec("test", List.of(marker))));
        byte[] patched = exitTransformer.transform(null, CONNECTION, null, null, fakeConnection(true, true));
        List<AbstractInsnNode> body = firstInstructions(method(patched, "writeRequests", "()V"), 2);
        assertEquals("exit", ((MethodInsnNode) body.get(0)).name);
        assertEquals(Opcodes.RETURN, body.get(1).getOpcode());
    }

    /** Defines a class (named like the JDK's, which a class loader of our own may do) in a new loader. */
    private static Class<?> define(byte[] classFile) {
        return new ClassLoader(PatchTransformerTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(null, classFile, 0, classFile.length);
            }
        }.define();
    }

    private static void assertNotPatched(byte[] result) {
        assertNull(result == null ? null : "patched (" + result.length + " bytes)");
    }

    private byte[] transform(String className, byte[] classFile) {
        return transformer.transform(null, className, null, null, classFile);
    }

    /** Class files are resources that modules do not encapsulate. */
    private static byte[] jdkClassFile(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            assertNotNull(in, internalName);
            return in.readAllBytes();
        }
    }

    /** A class with HttpURLConnection's name, and the field and the method only if asked for. */
    private static byte[] fakeConnection(boolean withRequestsField, boolean withWriteRequests) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, CONNECTION, null, "java/net/HttpURLConnection", null);
        if (withRequestsField) {
            writer.visitField(Opcodes.ACC_PRIVATE, "requests", "Lsun/net/www/MessageHeader;", null, null).visitEnd();
        }
        if (withWriteRequests) {
            MethodVisitor constructor = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
            constructor.visitCode();
            constructor.visitVarInsn(Opcodes.ALOAD, 0);
            constructor.visitInsn(Opcodes.ACONST_NULL);
            constructor.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/net/HttpURLConnection", "<init>", "(Ljava/net/URL;)V", false);
            constructor.visitInsn(Opcodes.RETURN);
            constructor.visitMaxs(0, 0);
            constructor.visitEnd();
            MethodVisitor method = writer.visitMethod(Opcodes.ACC_PRIVATE, "writeRequests", "()V", null, null);
            method.visitCode();
            method.visitInsn(Opcodes.RETURN);
            method.visitMaxs(0, 0);
            method.visitEnd();
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static ClassNode classNode(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        return node;
    }

    private static MethodNode method(byte[] classFile, String name, String descriptor) {
        return classNode(classFile).methods.stream().filter(m -> m.name.equals(name) && m.desc.equals(descriptor)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + descriptor));
    }

    /** The first real instructions: no labels, line numbers, frames or NOPs (the patcher's alignment padding). */
    private static List<AbstractInsnNode> firstInstructions(MethodNode method, int count) {
        List<AbstractInsnNode> found = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn.getOpcode() > Opcodes.NOP && found.size() < count) {
                found.add(insn);
            }
        }
        assertTrue(found.size() == count, "method too short: " + found.size());
        return found;
    }
}
