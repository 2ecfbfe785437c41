package io.tagalong.agent;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceClassVisitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandles;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The class-file patcher against the JVM's verifier and against ASM, on every class the instrumentations patch: the
 * JDK's that runs the test (17 or 25) and every version of each library that the tests use (copied by the build
 * into target/patch-subjects, see agent/pom.xml).
 *
 * <p>Verification on: a patched class is defined as a hidden class next to its original, which the JVM links, hence
 * verifies, at once; for JDK classes the surefire JVM runs with {@code -XX:+BytecodeVerificationLocal} (the bootstrap
 * loader's classes are not verified otherwise). A patched class must verify whenever its original does.
 * Same behaviour: ASM's output for the same patch ({@link AsmReferencePatcher}) must be the same instructions,
 * branches, exception table, stack-map frames, line numbers and local variables (the patcher's alignment NOPs and its
 * max_stack, an upper bound, aside).
 */
class ClassFilePatcherPropertyTest {
    /** A class that a patch names: its bytes, and a class loader that sees its library (null: the JDK). */
    record Subject(String origin, String internalName, byte[] bytes, ClassLoader loader) {
        boolean jdk() {
            return loader == null;
        }

        @Override
        public String toString() {
            return internalName + " from " + origin;
        }
    }

    private static final String PROBE = "io/tagalong/agent/Probe";
    private static final List<InstrumentationSpec> SPECS = Instrumentations.all();
    private static final List<Subject> SUBJECTS = subjects();

    @Example
    void everyClassThePatchesNameIsHereFromTheJdkAndFromEveryLibraryVersion() {
        Set<String> found = SUBJECTS.stream().map(Subject::internalName).collect(Collectors.toSet());
        for (String expected : List.of("sun/net/www/protocol/http/HttpURLConnection", "java/util/concurrent/ForkJoinTask",
                "okhttp3/internal/http/RealInterceptorChain", "org/apache/http/protocol/HttpRequestExecutor",
                "org/apache/hc/core5/http/impl/io/HttpRequestExecutor", "com/google/api/client/http/HttpRequest",
                "software/amazon/awssdk/core/interceptor/ExecutionInterceptorChain", "org/slf4j/MDC")) {
            assertTrue(found.contains(expected), expected + " not found; subjects: " + SUBJECTS);
        }
        System.out.println("[patcher property] " + SUBJECTS.size() + " class files: " + SUBJECTS);
    }

    /** What the agent does: every instrumentation's patches, with the state field where it adds one. */
    @Example
    void theInstrumentationsPatchesVerifyAndMatchAsm() throws Exception {
        int patched = 0;
        List<Subject> verified = new ArrayList<>();
        for (Subject subject : SUBJECTS) {
            List<PatchTransformer.Target> targets = new ArrayList<>();
            boolean carrier = false;
            for (InstrumentationSpec spec : SPECS) {
                for (MethodPatch patch : spec.patches) {
                    if (patch.className.equals(subject.internalName)) {
                        targets.add(new PatchTransformer.Target(spec.name, patch, spec.helpers));
                    }
                }
                carrier |= spec.carriers.contains(subject.internalName);
            }
            // JDK classes are defined here in the bootstrap loader, which cannot see the state field's interface:
            // their state field is checked by AgentJarIT, in a JVM that verifies bootstrap classes.
            boolean stateField = carrier && !subject.jdk();
            byte[] ours = PatchTransformer.patch(subject.internalName, targets, stateField, subject.bytes);
            if (ours == null) {
                continue; // no alternative fits this version (logged), as in the agent
            }
            patched++;
            Map<String, MethodPatch> applied = appliedPatches(subject, targets);
            byte[] asm = AsmReferencePatcher.patch(subject.bytes, applied, stateField && !new ClassFilePatcher(subject.bytes).isInterface());
            if (assertVerifies(subject, ours)) verified.add(subject);
            assertSameCode(subject, asm, ours);
        }
        System.out.println("[patcher property] " + patched + " patched, " + verified.size() + " linked and verified: " + verified);
        assertTrue(patched >= 40, "only " + patched + " classes patched");
        // the others need a dependency of their library that is not here: see that most are checked
        assertTrue(verified.size() * 2 >= patched, "only " + verified.size() + " of " + patched + " could be linked");
    }

    /** Random patches of random methods of the same classes: other code shapes (switches, loops, handlers, many returns). */
    @Property(tries = 400)
    void anyStraightLinePatchOfAnyMethodVerifiesAndMatchesAsm(@ForAll("cases") Case c) throws Exception {
        byte[] ours = new ClassFilePatcher(c.subject.bytes).patch(List.of(c.patch), c.stateField);
        byte[] asm = AsmReferencePatcher.patch(c.subject.bytes, Map.of(c.patch.methodName + c.patch.descriptor, c.patch), c.stateField);
        // reported in the run's statistics: how many samples the JVM could link, so verify, here
        net.jqwik.api.statistics.Statistics.label("linked and verified").collect(assertVerifies(c.subject, ours));
        assertSameCode(c.subject, asm, ours);
    }

    /** A patch of one method of one subject. */
    record Case(Subject subject, MethodPatch patch, boolean stateField, String description) {
        @Override
        public String toString() {
            return subject + ": " + description + (stateField ? " (with state field)" : "");
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(SUBJECTS).flatMap(subject -> {
            ClassNode node = classNode(subject.bytes);
            List<MethodNode> methods = node.methods.stream().filter(m -> m.instructions.size() > 0).toList();
            boolean canCarry = !subject.jdk() && (node.access & Opcodes.ACC_INTERFACE) == 0;
            return Combinators.combine(Arbitraries.of(methods), Arbitraries.integers().between(0, 2),
                    Arbitraries.integers().between(0, 5).list().ofMinSize(1).ofMaxSize(3),
                    Arbitraries.integers().between(0, 1000), canCarry ? Arbitraries.of(true, false) : Arbitraries.just(false))
                    .as((method, kind, templates, seed, stateField) -> makeCase(subject, node, method, kind, templates, seed, stateField));
        });
    }

    /**
     * kind 0 entry, 1 before return, 2 around. Templates leave the stack and locals as they were: 0 pass null to a
     * probe; 1 pass {@code this}; 2 replace a reference argument by what a probe returns (entry only: later the slot
     * may hold something else); 3 pass the value being returned; 4 pass a reference field of {@code this}; 5 the same
     * with the state field.
     */
    private static Case makeCase(Subject subject, ClassNode node, MethodNode method, int kind, List<Integer> templates,
                                 int seed, boolean stateField) {
        MethodPatch.Code entry = kind != 1 ? new MethodPatch.Code() : null;
        MethodPatch.Code exit = kind != 0 ? new MethodPatch.Code() : null;
        StringBuilder description = new StringBuilder(method.name + method.desc + " kind " + kind + ":");
        for (int t : templates) {
            if (entry != null) description.append(' ').append(emit(entry, t, node, method, true, seed, stateField));
            if (exit != null) description.append(' ').append(emit(exit, t, node, method, false, seed, stateField));
        }
        MethodPatch patch = kind == 0 ? MethodPatch.atEntry(node.name, method.name, method.desc, entry)
                : kind == 1 ? MethodPatch.beforeReturn(node.name, method.name, method.desc, exit)
                : MethodPatch.around(node.name, method.name, method.desc, entry, exit);
        return new Case(subject, patch, stateField, description.toString());
    }

    private static String emit(MethodPatch.Code code, int template, ClassNode node, MethodNode method, boolean atEntry,
                               int seed, boolean stateField) {
        boolean instance = (method.access & Opcodes.ACC_STATIC) == 0;
        boolean thisUsable = instance && !(atEntry && method.name.equals("<init>"));
        Type returnType = Type.getReturnType(method.desc);
        if (template == 1 && thisUsable) {
            code.aload(0).invokestatic(PROBE, "take", "(Ljava/lang/Object;)V");
            return "this";
        }
        if (template == 2 && atEntry) {
            List<Integer> slots = new ArrayList<>();
            List<String> types = new ArrayList<>();
            int slot = instance ? 1 : 0;
            for (Type arg : Type.getArgumentTypes(method.desc)) {
                if (arg.getSort() == Type.OBJECT || arg.getSort() == Type.ARRAY) {
                    slots.add(slot);
                    types.add(arg.getInternalName());
                }
                slot += arg.getSize();
            }
            if (!slots.isEmpty()) {
                int i = seed % slots.size();
                code.aload(slots.get(i)).invokestatic(PROBE, "pass", "(Ljava/lang/Object;)Ljava/lang/Object;")
                        .checkcast(types.get(i)).astore(slots.get(i));
                return "replace arg in slot " + slots.get(i);
            }
        }
        if (template == 3 && !atEntry && (returnType.getSort() == Type.OBJECT || returnType.getSort() == Type.ARRAY)) {
            code.dup().invokestatic(PROBE, "take", "(Ljava/lang/Object;)V");
            return "returned value";
        }
        if (template == 4 && thisUsable) {
            List<FieldNode> fields = node.fields.stream().filter(f -> (f.access & Opcodes.ACC_STATIC) == 0
                    && (f.desc.startsWith("L") || f.desc.startsWith("["))).toList();
            if (!fields.isEmpty()) {
                FieldNode f = fields.get(seed % fields.size());
                code.aload(0).getfield(node.name, f.name, f.desc).invokestatic(PROBE, "take", "(Ljava/lang/Object;)V");
                return "field " + f.name;
            }
        }
        if (template == 5 && thisUsable && stateField) {
            code.aload(0).getfield(node.name, io.tagalong.bootstrap.StateField.FIELD, "Ljava/lang/Object;")
                    .invokestatic(PROBE, "take", "(Ljava/lang/Object;)V");
            return "state field";
        }
        code.aconstNull().invokestatic(PROBE, "take", "(Ljava/lang/Object;)V");
        return "null";
    }

    // -- checks --

    /** The patches that PatchTransformer applied (the first fitting alternative of each group), by method. */
    private static Map<String, MethodPatch> appliedPatches(Subject subject, List<PatchTransformer.Target> targets) {
        ClassFilePatcher shape = new ClassFilePatcher(subject.bytes);
        Map<String, MethodPatch> applied = new HashMap<>();
        Set<String> groups = new java.util.HashSet<>();
        for (PatchTransformer.Target target : targets) {
            MethodPatch p = target.patch;
            if (p.group != null && groups.contains(p.group)) continue;
            boolean fits = shape.hasCode(p.methodName, p.descriptor);
            for (int i = 0; i < p.requiredFields.size(); i += 2) {
                fits &= shape.hasField(p.requiredFields.get(i), p.requiredFields.get(i + 1));
            }
            if (fits) {
                applied.put(p.methodName + p.descriptor, p);
                if (p.group != null) groups.add(p.group);
            }
        }
        return applied;
    }

    private static void assertSameCode(Subject subject, byte[] asm, byte[] ours) {
        assertEquals(text(asm), text(ours), "ASM and the class-file patcher differ on " + subject);
    }

    /**
     * The patched class must verify whenever the original does. A library's class is defined under its own name in a
     * new class loader that reads the rest of its jar itself, and initialised, which links, so verifies, it (the
     * original alike: when that fails for a missing dependency of the library, nothing can be said). A JDK class is
     * defined as a hidden class next to the original ({@code -XX:+BytecodeVerificationLocal}), where the code allows.
     */
    private static boolean assertVerifies(Subject subject, byte[] patched) throws Exception {
        try {
            link(subject, subject.bytes);
        } catch (LinkageError | ReflectiveOperationException e) {
            return false; // the original cannot be linked here either
        }
        try {
            link(subject, patched);
        } catch (VerifyError | ClassFormatError e) {
            throw new AssertionError(subject + " patched does not verify: " + e, e);
        }
        return true;
    }

    private static void link(Subject subject, byte[] bytes) throws Exception {
        if (subject.jdk()) {
            java.lang.reflect.Field implLookup = MethodHandles.Lookup.class.getDeclaredField("IMPL_LOOKUP");
            implLookup.setAccessible(true);
            ((MethodHandles.Lookup) implLookup.get(null))
                    .in(Class.forName(subject.internalName.replace('/', '.'), false, ClassLoader.getPlatformClassLoader()))
                    .defineHiddenClass(bytes, false);
            return;
        }
        String name = subject.internalName.replace('/', '.');
        ClassLoader library = new ClassLoader(ClassFilePatcherPropertyTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(n)) {
                    Class<?> c = findLoadedClass(n);
                    if (c == null) {
                        byte[] b = n.equals(name) ? bytes : read(subject.loader, n);
                        c = b == null ? super.loadClass(n, false) : defineClass(n, b, 0, b.length);
                    }
                    return c;
                }
            }
        };
        try {
            Class.forName(name, true, library);
        } catch (ExceptionInInitializerError e) {
            // linked and verified; its static initialiser needs more than this class loader has
        } catch (NoClassDefFoundError e) {
            // linked and verified if its static initialiser threw it (a hook's helper needs the library's loader)
            if (java.util.Arrays.stream(e.getStackTrace()).noneMatch(f -> f.getMethodName().equals("<clinit>"))) throw e;
        }
    }

    /** A class file of the library's jar (not its parents'), or null. */
    private static byte[] read(ClassLoader library, String name) {
        URL url = ((URLClassLoader) library).findResource(name.replace('.', '/') + ".class");
        if (url == null) return null;
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** The class as text, without the alignment NOPs, max_stack and type annotations inside code. */
    private static String text(byte[] classfile) {
        StringWriter out = new StringWriter();
        ClassVisitor trace = new TraceClassVisitor(null, new Textifier(), new PrintWriter(out));
        new ClassReader(classfile).accept(new ClassVisitor(Opcodes.ASM9, trace) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode != Opcodes.NOP) super.visitInsn(opcode);
                    }

                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        super.visitMaxs(0, maxLocals);
                    }

                    @Override
                    public AnnotationVisitor visitInsnAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
                        return null;
                    }

                    @Override
                    public AnnotationVisitor visitTryCatchAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
                        return null;
                    }

                    @Override
                    public AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath, Label[] start,
                                                                          Label[] end, int[] index, String descriptor, boolean visible) {
                        return null;
                    }
                };
            }
        }, ClassReader.EXPAND_FRAMES);
        return out.toString();
    }

    private static ClassNode classNode(byte[] classfile) {
        ClassNode node = new ClassNode();
        new ClassReader(classfile).accept(node, ClassReader.SKIP_DEBUG);
        return node;
    }

    // -- subjects --

    private static List<Subject> subjects() {
        Set<String> names = new java.util.TreeSet<>();
        for (InstrumentationSpec spec : SPECS) {
            spec.patches.forEach(p -> names.add(p.className));
            names.addAll(spec.carriers);
        }
        List<Subject> subjects = new ArrayList<>();
        for (String name : names) {
            URL url = ClassLoader.getSystemResource(name + ".class");
            if (url == null || !url.getProtocol().equals("jrt")) continue; // a library's, or not in this JDK
            try (InputStream in = url.openStream()) {
                subjects.add(new Subject("JDK " + Runtime.version().feature(), name, in.readAllBytes(), null));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        // every version of each library the tests use, copied by the build (agent/pom.xml, patch-subjects)
        for (Path jar : jars(Path.of("target", "patch-subjects"))) {
            Map<String, byte[]> found = new LinkedHashMap<>();
            try (JarFile file = new JarFile(jar.toFile())) {
                for (String name : names) {
                    ZipEntry entry = file.getEntry(name + ".class");
                    if (entry != null) {
                        try (InputStream in = file.getInputStream(entry)) {
                            found.put(name, in.readAllBytes());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(jar.toString(), e);
            }
            if (found.isEmpty()) continue;
            ClassLoader loader = newLoader(jar, ClassFilePatcherPropertyTest.class.getClassLoader());
            String origin = jar.getFileName().toString();
            found.forEach((name, bytes) -> subjects.add(new Subject(origin, name, bytes, loader)));
        }
        return Collections.unmodifiableList(subjects);
    }

    private static List<Path> jars(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar") && !p.toString().endsWith("-sources.jar")
                    && !p.toString().endsWith("-javadoc.jar") && !p.toString().endsWith("-tests.jar")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ClassLoader newLoader(Path jar, ClassLoader parent) {
        try {
            return new URLClassLoader(new URL[] {jar.toUri().toURL()}, parent);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
