package io.tagalong.agent;

import java.util.ArrayList;
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
    /**
     * Binary names of classes (package {@code io.tagalong.helpers.*}, compiled against the library) defined in the
     * class loader of each patched class before it is patched, so the inserted code can call them.
     */
    final List<String> helpers;
    /** Run once when the agent starts with this instrumentation enabled (e.g. to register a process-wide source), or null. */
    final Runnable atStart;
    /**
     * Internal names of classes that get the per-object state field ({@code StateField.Carrier}) when they load; a
     * class loaded before the agent keeps its shape and its objects' state goes to StateField's weak map.
     */
    final List<String> carriers;
    /** The copy of the library this spec patches, or null for the library under its own names. */
    final Relocation relocation;

    InstrumentationSpec(String name, List<MethodPatch> patches, String... exportsToHooks) {
        this(name, patches, Collections.<String>emptyList(), Arrays.asList(exportsToHooks), null,
                Collections.<String>emptyList(), null);
    }

    private InstrumentationSpec(String name, List<MethodPatch> patches, List<String> helpers, List<String> exportsToHooks,
                                Runnable atStart, List<String> carriers, Relocation relocation) {
        this.name = name;
        this.patches = Collections.unmodifiableList(patches);
        this.helpers = Collections.unmodifiableList(helpers);
        this.exportsToHooks = Collections.unmodifiableList(exportsToHooks);
        this.atStart = atStart;
        this.carriers = Collections.unmodifiableList(carriers);
        this.relocation = relocation;
    }

    /** The same instrumentation with helper classes to define next to each patched class (dependencies first). */
    InstrumentationSpec withHelpers(String... binaryNames) {
        return new InstrumentationSpec(name, patches, Arrays.asList(binaryNames), exportsToHooks, atStart, carriers, null);
    }

    /** The same instrumentation with an action run once at start, before any patched class is loaded. */
    InstrumentationSpec withStart(Runnable action) {
        return new InstrumentationSpec(name, patches, helpers, exportsToHooks, action, carriers, null);
    }

    /** The same instrumentation with these classes (internal names) carrying a state field. */
    InstrumentationSpec withStateField(String... internalNames) {
        return new InstrumentationSpec(name, patches, helpers, exportsToHooks, atStart, Arrays.asList(internalNames), null);
    }

    /**
     * The same instrumentation for a relocated copy of its library: patches and carriers under the copy's names, the
     * same helpers (mapped as they are defined); no start action and no exports (those serve the original only).
     */
    InstrumentationSpec relocated(Relocation copy) {
        List<MethodPatch> mapped = new ArrayList<MethodPatch>();
        for (MethodPatch patch : patches) {
            mapped.add(patch.relocated(copy));
        }
        List<String> mappedCarriers = new ArrayList<String>();
        for (String carrier : carriers) {
            mappedCarriers.add(copy.map(carrier));
        }
        return new InstrumentationSpec(name, mapped, helpers, Collections.<String>emptyList(), null, mappedCarriers, copy);
    }
}
