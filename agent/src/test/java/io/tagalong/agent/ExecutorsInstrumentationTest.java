package io.tagalong.agent;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ForkJoinTask;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** doExec's return type is taken from the Java version (no reflection at start): it must be the one the JDK has. */
class ExecutorsInstrumentationTest {
    @Test
    void doExecReturnTypeFromTheVersionIsTheOneThisJdkHas() throws NoSuchMethodException {
        Class<?> actual = ForkJoinTask.class.getDeclaredMethod("doExec").getReturnType();
        assertEquals(actual == int.class ? "I" : "V",
                ExecutorsInstrumentation.doExecReturn(System.getProperty("java.specification.version")));
    }

    /** ForkJoinTask as it loads (with the state field, read directly) and as retransformed (without): both verify. */
    @Test
    void thePatchedForkJoinTaskVerifiesWithAndWithoutTheStateField() throws Exception {
        byte[] original;
        try (InputStream in = ClassLoader.getSystemResourceAsStream("java/util/concurrent/ForkJoinTask.class")) {
            original = in.readAllBytes();
        }
        PatchTransformer transformer = new PatchTransformer(List.of(ExecutorsInstrumentation.spec()));
        byte[] loading = transformer.transform(null, ExecutorsInstrumentation.FJT, null, null, original);
        byte[] retransformed = transformer.transform(null, ExecutorsInstrumentation.FJT, ForkJoinTask.class, null, original);
        for (byte[] patched : List.of(loading, retransformed)) {
            StringWriter problems = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(patched), getClass().getClassLoader(), false, new PrintWriter(problems));
            assertEquals("", problems.toString());
        }
        assertTrue(new String(loading, StandardCharsets.ISO_8859_1).contains("tagalong$state"));
        assertFalse(new String(retransformed, StandardCharsets.ISO_8859_1).contains("tagalong$state"));
    }

    @Test
    void doExecReturnsIntUpToJdk18AndVoidSince() {
        assertEquals("I", ExecutorsInstrumentation.doExecReturn("1.8"));
        assertEquals("I", ExecutorsInstrumentation.doExecReturn("17"));
        assertEquals("I", ExecutorsInstrumentation.doExecReturn("18"));
        assertEquals("V", ExecutorsInstrumentation.doExecReturn("19"));
        assertEquals("V", ExecutorsInstrumentation.doExecReturn("25"));
    }
}
