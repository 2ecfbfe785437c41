package io.tagalong.agent;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** One instrumentation of the contract: its name ({@code tagalong.instrumentation.NAME.enabled}) and its patches. */
public final class InstrumentationSpec {
    final String name;
    final List<MethodPatch> patches;
    /**
     * "module/package" pairs that the hooks use reflectively: on Java 9+ the package is exported to the unnamed
     * module of the bootstrap class loader, where the hooks live.
     */
    final List<String> exportsToHooks;

    InstrumentationSpec(String name, List<MethodPatch> patches, String... exportsToHooks) {
        this.name = name;
        this.patches = Collections.unmodifiableList(patches);
        this.exportsToHooks = Collections.unmodifiableList(Arrays.asList(exportsToHooks));
    }
}
