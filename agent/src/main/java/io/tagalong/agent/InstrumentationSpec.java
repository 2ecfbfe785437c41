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
     * "module/package" pairs that the hooks call directly when a class this spec patches was loaded before the agent
     * (its shape cannot change, so it has no {@link #delegates}): on Java 9+ the package is exported to the unnamed
     * module of the bootstrap class loader, where the hooks live, when that class is retransformed.
     */
    final List<String> exportsToHooks;
    /**
     * Binary names of classes (package {@code io.tagalong.helpers.*}, compiled against the library) defined in the
     * class loader of each patched class before it is patched, so the inserted code can call them.
     */
    final List<String> helpers;
    /**
     * Run once, with this instrumentation enabled, when a class of its {@code Instrumentations.STARTED_BY} row loads or
     * had loaded before the agent (e.g. to register a process-wide source), or null.
     */
    final Runnable atStart;
    /**
     * Internal names of classes that get the per-object state field ({@code StateField.Carrier}) when they load; a
     * class loaded before the agent keeps its shape and its objects' state goes to StateField's weak map.
     */
    final List<String> carriers;
    /** Methods added to a carrier with its state field (see {@link Delegates}), or null. */
    final Delegates delegates;
    /** The copy of the library this spec patches, or null for the library under its own names. */
    final Relocation relocation;

    /**
     * Methods the patcher adds to a carrier class, each calling the method of the same name and descriptor on one of
     * its fields: {@code public R tagalong$m(A a) { return this.field.m(a); }}, declared by an interface of the hooks,
     * which the class then implements. A hook reaches a JDK internal that way through the patched class's own module,
     * with no package exported to the hooks ({@code Instrumentation.redefineModule} spins lambdas, ~10 ms of a
     * start). Added with the state field and under the same rule: only while the class is defined.
     */
    static final class Delegates {
        final String className;
        final String interfaceName;
        final String field;
        final String fieldDescriptor;
        /** name, descriptor, name, descriptor, ... of the field's methods (reference arguments and result, or void). */
        final List<String> methods;

        Delegates(String className, String interfaceName, String field, String fieldDescriptor, String... methods) {
            this(className, interfaceName, field, fieldDescriptor, Arrays.asList(methods));
        }

        private Delegates(String className, String interfaceName, String field, String fieldDescriptor, List<String> methods) {
            this.className = className;
            this.interfaceName = interfaceName;
            this.field = field;
            this.fieldDescriptor = fieldDescriptor;
            this.methods = Collections.unmodifiableList(methods);
        }

        Delegates relocated(Relocation copy) {
            List<String> mapped = new ArrayList<String>(methods);
            for (int i = 1; i < mapped.size(); i += 2) mapped.set(i, copy.map(mapped.get(i)));
            return new Delegates(copy.map(className), copy.map(interfaceName), field, copy.map(fieldDescriptor), mapped);
        }
    }

    InstrumentationSpec(String name, List<MethodPatch> patches, String... exportsToHooks) {
        this(name, patches, Collections.<String>emptyList(), Arrays.asList(exportsToHooks), null,
                Collections.<String>emptyList(), null, null);
    }

    private InstrumentationSpec(String name, List<MethodPatch> patches, List<String> helpers, List<String> exportsToHooks,
                                Runnable atStart, List<String> carriers, Delegates delegates, Relocation relocation) {
        this.name = name;
        this.patches = Collections.unmodifiableList(patches);
        this.helpers = Collections.unmodifiableList(helpers);
        this.exportsToHooks = Collections.unmodifiableList(exportsToHooks);
        this.atStart = atStart;
        this.carriers = Collections.unmodifiableList(carriers);
        this.delegates = delegates;
        this.relocation = relocation;
    }

    /** The same instrumentation with helper classes to define next to each patched class (dependencies first). */
    InstrumentationSpec withHelpers(String... binaryNames) {
        return new InstrumentationSpec(name, patches, Arrays.asList(binaryNames), exportsToHooks, atStart, carriers, delegates, null);
    }

    /** The same instrumentation with a start action (see {@link #atStart}). */
    InstrumentationSpec withStart(Runnable action) {
        return new InstrumentationSpec(name, patches, helpers, exportsToHooks, action, carriers, delegates, null);
    }

    /** The same instrumentation with these classes (internal names) carrying a state field. */
    InstrumentationSpec withStateField(String... internalNames) {
        return new InstrumentationSpec(name, patches, helpers, exportsToHooks, atStart, Arrays.asList(internalNames), delegates, null);
    }

    /** The same instrumentation with {@code added} methods given to their class (a carrier) with its state field. */
    InstrumentationSpec withDelegates(Delegates added) {
        return new InstrumentationSpec(name, patches, helpers, exportsToHooks, atStart, carriers, added, null);
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
        return new InstrumentationSpec(name, mapped, helpers, Collections.<String>emptyList(), null, mappedCarriers,
                delegates == null ? null : delegates.relocated(copy), copy);
    }
}
