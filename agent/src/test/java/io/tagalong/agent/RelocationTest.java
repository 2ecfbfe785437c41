package io.tagalong.agent;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;
import org.objectweb.asm.util.TraceClassVisitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relocated copies: found from a class name, and patched and given helpers exactly as the original would be and then
 * relocated the way a shading tool relocates (ASM's ClassRemapper, with string constants too, as shading tools do).
 */
class RelocationTest {
    private static final String[] APACHE4 = {"org/apache/http/"};
    private static final String EXECUTOR = ApacheHttpClient4Instrumentation.EXECUTOR;

    @Test
    void aCopyIsFoundUnderAnyPrefixWithOrWithoutItsFirstSegment() {
        Relocation kept = Relocation.find("x", "com/acme/shaded/" + EXECUTOR, EXECUTOR, APACHE4);
        assertEquals("com/acme/shaded/", kept.prefix);
        assertEquals("com/acme/shaded/org/apache/http/Header", kept.map("org/apache/http/Header"));
        Relocation dropped = Relocation.find("x", "com/databricks/internal/apache/http/protocol/HttpRequestExecutor", EXECUTOR, APACHE4);
        assertEquals("com/databricks/internal/", dropped.prefix);
        assertEquals("(Lcom/databricks/internal/apache/http/HttpRequest;)V", dropped.map("(Lorg/apache/http/HttpRequest;)V"));
        assertEquals("x relocated under com/databricks/internal/ (first package segment dropped)", dropped.toString());
    }

    @Test
    void anUnrelatedClassWithTheSameSimpleNameIsNoCopy() {
        assertNull(Relocation.find("x", "com/acme/protocol/HttpRequestExecutor", EXECUTOR, APACHE4));
        assertNull(Relocation.find("x", "com/acme/xhttp/protocol/HttpRequestExecutor", EXECUTOR, APACHE4));
        assertNull(Relocation.find("x", EXECUTOR, EXECUTOR, APACHE4), "the original is not a copy of itself");
        // a one-segment root keeps its segment: okhttp3/internal/... alone would match far too much
        assertNull(Relocation.find("x", "com/acme/internal/connection/RealCall", "okhttp3/internal/connection/RealCall",
                new String[] {"okhttp3/"}));
    }

    @Test
    void namesAreMappedInOnePassEvenWhenThePrefixContainsTheRoot() {
        Relocation copy = Relocation.find("x", "a/org/apache/http/b/org/apache/http/protocol/HttpRequestExecutor", EXECUTOR, APACHE4);
        assertEquals("a/org/apache/http/b/", copy.prefix);
        assertEquals("La/org/apache/http/b/org/apache/http/X;a.org.apache.http.b.org.apache.http.Y"
                        + "a/org/apache/http/b/io/tagalong/helpers/apache4/H io/tagalong/bootstrap/Pipeline",
                copy.map("Lorg/apache/http/X;org.apache.http.Y" + "io/tagalong/helpers/apache4/H io/tagalong/bootstrap/Pipeline"));
    }

    /** Every relocatable instrumentation's helpers, mapped, are the helpers relocated by a shading tool. */
    @Test
    void helpersAreMappedAsAShadingToolMapsThem() throws IOException {
        int helpers = 0;
        for (String[] row : Instrumentations.RELOCATABLE) {
            String[] roots = java.util.Arrays.copyOfRange(row, 1, row.length);
            InstrumentationSpec spec = Instrumentations.spec(Instrumentations.row(row[0]));
            String someClass = spec.patches.get(0).className;
            for (String relocated : List.of("com/acme/internal/" + someClass,
                    "com/acme/internal/" + someClass.substring(someClass.indexOf('/') + 1))) {
                Relocation copy = Relocation.find(row[0], relocated, someClass, roots);
                if (copy == null) continue; // the first segment is kept by every relocation of this library
                Remapper shading = shading(copy);
                for (String helper : spec.helpers) {
                    byte[] original = helperClassFile(helper);
                    assertEquals(text(relocate(original, shading)), text(copy.mapClass(original)), helper);
                    helpers++;
                }
            }
        }
        assertTrue(helpers >= 20, "helpers checked: " + helpers);
    }

    /**
     * patch(relocate(class)) == relocate(patch(class)) for real library classes: okhttp 4.12's interceptor chain and
     * call (the call also gets the state field), kept prefix; httpcore 4.4's executor, first segment dropped; grpc-core's
     * channel builder as gcs-connector relocates it.
     */
    @Test
    void aRelocatedLibraryClassIsPatchedAsTheOriginalIsThenRelocated() throws IOException {
        int lazy = (1 << Instrumentations.CLASSES.length) - 1;
        checkCopy(lazy, "okhttp-4.12.0.jar", OkHttpInstrumentation.CHAIN, "shaded/okhttp3/internal/http/RealInterceptorChain");
        checkCopy(lazy, "okhttp-4.12.0.jar", "okhttp3/internal/connection/RealCall", "shaded/okhttp3/internal/connection/RealCall");
        checkCopy(lazy, "httpcore-4.4.16.jar", EXECUTOR, "com/databricks/internal/apache/http/protocol/HttpRequestExecutor");
        checkCopy(lazy, "grpc-core-1.76.2.jar", GrpcInstrumentation.BUILDER,
                "com/google/cloud/hadoop/repackaged/gcs/io/grpc/internal/ManagedChannelImplBuilder");
    }

    @Test
    void classesOfUnrelatedOrNonRelocatableLibrariesAreLeftAlone() throws IOException {
        PatchTransformer transformer = new PatchTransformer(List.of(), (1 << Instrumentations.CLASSES.length) - 1, null);
        assertFalse(transformer.instruments("com/acme/protocol/HttpRequestExecutor", null));
        assertFalse(transformer.instruments("com/acme/Unrelated", null));
        // MDC and OpenTelemetry bridges serve the program's own copy only
        assertFalse(transformer.instruments("com/acme/internal/org/slf4j/MDC", null));
        assertFalse(transformer.instruments("com/acme/internal/io/opentelemetry/api/baggage/Baggage", null));
        assertTrue(transformer.instruments("com/acme/internal/org/slf4j/MDC".replace("com/acme/internal/", ""), null));
    }

    private static void checkCopy(int lazy, String jar, String original, String relocated) throws IOException {
        String[] roots = java.util.Arrays.stream(Instrumentations.RELOCATABLE).filter(row -> original.startsWith(row[1]))
                .findFirst().map(row -> java.util.Arrays.copyOfRange(row, 1, row.length)).orElseThrow();
        Relocation copy = Relocation.find("x", relocated, original, roots);
        Remapper shading = shading(copy);
        byte[] originalBytes = libraryClassFile(jar, original);
        byte[] viaCopy = new PatchTransformer(List.of(), lazy, null)
                .transform(null, relocated, null, null, relocate(originalBytes, shading));
        byte[] viaOriginal = new PatchTransformer(List.of(), lazy, null)
                .transform(null, original, null, null, originalBytes);
        assertNotNull(viaCopy, relocated + " was not patched");
        assertEquals(text(relocate(viaOriginal, shading)), text(viaCopy), relocated);
    }

    /** What a shading tool does with {@code copy}'s relocation: every class name, and string constants naming classes. */
    private static Remapper shading(Relocation copy) {
        return new Remapper() {
            @Override
            public String map(String internalName) {
                return copy.map(internalName);
            }

            @Override
            public Object mapValue(Object value) {
                return value instanceof String ? copy.map((String) value) : super.mapValue(value);
            }
        };
    }

    private static byte[] relocate(byte[] classfile, Remapper remapper) {
        ClassWriter out = new ClassWriter(0);
        new ClassReader(classfile).accept(new ClassRemapper(out, remapper), 0);
        return out.toByteArray();
    }

    private static String text(byte[] classfile) {
        StringWriter text = new StringWriter();
        new ClassReader(classfile).accept(new TraceClassVisitor(new PrintWriter(text)), 0);
        return text.toString();
    }

    private static byte[] helperClassFile(String binaryName) throws IOException {
        try (InputStream in = RelocationTest.class.getClassLoader().getResourceAsStream(binaryName.replace('.', '/') + ".class")) {
            assertNotNull(in, binaryName);
            return in.readAllBytes();
        }
    }

    private static byte[] libraryClassFile(String jar, String internalName) throws IOException {
        Path path = Paths.get("target/patch-subjects", jar);
        assertTrue(Files.exists(path), path + " (copied by the build)");
        try (JarFile file = new JarFile(path.toFile()); InputStream in = file.getInputStream(file.getEntry(internalName + ".class"))) {
            return in.readAllBytes();
        }
    }
}
