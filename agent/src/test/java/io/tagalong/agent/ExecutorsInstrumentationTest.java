package io.tagalong.agent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ForkJoinTask;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** doExec's return type is taken from the Java version (no reflection at start): it must be the one the JDK has. */
class ExecutorsInstrumentationTest {
    @Test
    void doExecReturnTypeFromTheVersionIsTheOneThisJdkHas() throws NoSuchMethodException {
        Class<?> actual = ForkJoinTask.class.getDeclaredMethod("doExec").getReturnType();
        assertEquals(actual == int.class ? "I" : "V",
                ExecutorsInstrumentation.doExecReturn(System.getProperty("java.specification.version")));
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
