package io.tagalong.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A version of a library that lacks the class its patches need is named when the library is first used, not missed
 * silently: the real AWS SDK v1 core jar has the class, a loader without it gets one line (for a relocated copy too).
 */
class RequiredClassTest {
    private static final String CLIENT = "com/amazonaws/AmazonWebServiceClient";
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream saved;

    @BeforeEach
    void captureStderr() {
        saved = System.err;
        System.setErr(new PrintStream(err, true));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(saved);
    }

    private static PatchTransformer transformer() {
        return new PatchTransformer(List.of(), (1 << Instrumentations.CLASSES.length) - 1, null);
    }

    @Test
    void aLoaderWithoutThePatchedClassGetsOneLine() throws Exception {
        URLClassLoader tooOld = new URLClassLoader(new URL[0], null);
        PatchTransformer transformer = transformer();
        transformer.transform(tooOld, CLIENT, null, null, new byte[0]);
        transformer.transform(tooOld, CLIENT, null, null, new byte[0]);

        String line = "[tagalong] WARN aws-sdk-1: this version has no com.amazonaws.http.AmazonHttpClient$RequestExecutor"
                + " (found com.amazonaws.AmazonWebServiceClient); its requests are not instrumented";
        assertEquals(line + System.lineSeparator(), err.toString());
    }

    @Test
    void aRelocatedCopyWithoutItIsNamedByItsCopy() {
        transformer().transform(new URLClassLoader(new URL[0], null), "x/internal/amazonaws/AmazonWebServiceClient",
                null, null, new byte[0]);

        assertTrue(err.toString().startsWith("[tagalong] WARN aws-sdk-1 relocated under x/internal/ (first package segment "
                + "dropped): this version has no x.internal.amazonaws.http.AmazonHttpClient$RequestExecutor"), err.toString());
    }

    @Test
    void aSupportedVersionIsQuiet() throws Exception {
        Path core = Paths.get("target/patch-subjects/aws-java-sdk-core-1.12.791.jar");
        assertTrue(Files.exists(core), core + " (copied by the build)");
        transformer().transform(new URLClassLoader(new URL[] {core.toUri().toURL()}, null), CLIENT, null, null, new byte[0]);

        assertEquals("", err.toString());
    }
}
