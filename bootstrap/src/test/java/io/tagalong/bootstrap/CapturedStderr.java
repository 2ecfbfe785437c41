package io.tagalong.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the agent logs during one test ({@code @RegisterExtension final CapturedStderr err = new CapturedStderr()}):
 * stderr is captured and the log's once-only memory is cleared before each test; {@link #toString()} is the text.
 */
final class CapturedStderr implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream saved;

    @Override
    public void beforeEach(ExtensionContext context) {
        saved = System.err;
        captured.reset();
        System.setErr(new PrintStream(captured, true));
        Log.reset();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setErr(saved);
        Log.debug = false;
    }

    /** The real stderr, for a line meant for the person running the tests. */
    PrintStream original() {
        return saved;
    }

    @Override
    public String toString() {
        return captured.toString();
    }
}
