package io.tagalong.bootstrap;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The relocated (shaded) copies of supported libraries that the agent found in this JVM and instruments, such as
 * {@code aws-sdk-2 relocated under net/snowflake/client/jdbc/internal/}: named by the debug log and the MBean, so a
 * driver's private copy is never missed silently. Package names only.
 */
public final class RelocatedCopies {
    private static final Set<String> FOUND = new LinkedHashSet<String>();

    private RelocatedCopies() {}

    public static synchronized void found(String copy) {
        FOUND.add(copy);
    }

    public static synchronized String[] all() {
        return FOUND.toArray(new String[0]);
    }
}
