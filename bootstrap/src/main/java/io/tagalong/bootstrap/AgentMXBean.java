package io.tagalong.bootstrap;

import java.util.Map;

/**
 * The MBean {@code io.tagalong:type=Agent}: what Tagalong did in this JVM, per instrumentation (as named in
 * {@code tagalong.instrumentation.NAME}), and its effective configuration with header values redacted. Names and
 * counts only, never a header value.
 */
public interface AgentMXBean {
    String getVersion();

    /** {@code key = value (origin)} lines as the self-check prints them, values redacted; then any problems. */
    String[] getConfiguration();

    /** Storage requests each instrumentation decided (an SDK layer and the HTTP client below it both count one). */
    Map<String, Long> getStorageRequests();

    Map<String, Long> getHeadersSet();

    /** Headers Tagalong had a value for but the program had set itself (kept, as {@code tagalong.override=false}). */
    Map<String, Long> getHeadersKept();

    /** By {@code instrumentation: reason}. */
    Map<String, Long> getHeadersRefused();

    /** By {@code instrumentation: rule} of {@code tagalong.required}. */
    Map<String, Long> getAuditMisses();

    /** Audit lines not written: the queue was full, or the file could not be written. */
    Map<String, Long> getAuditLinesDropped();

    /** The relocated (shaded) copies of supported libraries instrumented in this JVM: {@code aws-sdk-2 relocated under x/internal/}. */
    String[] getRelocatedCopies();
}
