package io.tagalong.agent;

import io.tagalong.bootstrap.HolderCopies;
import io.tagalong.bootstrap.Log;
import io.tagalong.bootstrap.RelocatedCopies;
import io.tagalong.bootstrap.StateField;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's one transformer. It runs for every class the JVM loads, so a class that no patch names costs one map
 * lookup. A named class is patched by {@link ClassFilePatcher}, which resolves no type, so transforming never loads
 * a class.
 */
final class PatchTransformer implements ClassFileTransformer {
    /** A patch and the instrumentation it belongs to (for the log). */
    static final class Target {
        final String instrumentation;
        final MethodPatch patch;
        final List<String> helpers;
        /** The relocated copy the patch is for (its helpers are mapped to it), or null. */
        final Relocation relocation;

        Target(String instrumentation, MethodPatch patch, List<String> helpers) {
            this(instrumentation, patch, helpers, null);
        }

        Target(String instrumentation, MethodPatch patch, List<String> helpers, Relocation relocation) {
            this.instrumentation = instrumentation;
            this.patch = patch;
            this.helpers = helpers;
            this.relocation = relocation;
        }

        /** The instrumentation, and the copy if it is a relocated one (for the log). */
        String describe() {
            return relocation != null ? relocation.toString() : instrumentation;
        }
    }

    /**
     * A class an instrumentation names, and its instrumentation's row of {@link Instrumentations#CLASSES} (-1: a spec
     * given built) and library roots if its relocated copies are patched too. Chained in {@link #index}.
     */
    private static final class Named {
        final String name;
        final int row;
        final String[] roots;
        final int simpleStart;
        final int simpleHash;
        /** For a class of {@link Instrumentations#REQUIRED}: the class its library needs (it is not patched itself). */
        final String required;
        /** A class of {@link Instrumentations#STARTED_BY}: it runs its instrumentation's start action (not patched). */
        final boolean starts;
        Named next;

        Named(String name, int row) {
            this(name, row, null, false);
        }

        Named(String name, int row, String required, boolean starts) {
            this.name = name;
            this.row = row;
            this.required = required;
            this.starts = starts;
            this.roots = row < 0 || starts ? null : Instrumentations.relocatableRoots(Instrumentations.CLASSES[row][0]);
            long simple = simpleName(name, '/');
            this.simpleStart = (int) (simple >>> 32);
            this.simpleHash = (int) simple;
        }

        boolean sameSimpleName(String className, int start, int hash) {
            int length = name.length() - simpleStart;
            return simpleHash == hash && className.length() - start == length
                    && className.regionMatches(start, name, simpleStart, length);
        }
    }

    /** The context holder: a copy that a class loader other than the bootstrap one defines is the program's own. */
    static final String HOLDER = "io.tagalong.StorageHeaders";
    private static final String HOLDER_INTERNAL = "io/tagalong/StorageHeaders";

    /**
     * Internal class name -> the patches for that class. Filled when a spec is built; each list is replaced, never
     * changed, so it can be read outside the lock.
     */
    private final Map<String, List<Target>> targets = new HashMap<String, List<Target>>();
    /** Internal names of the classes that get the per-object state field when they load (read without the lock). */
    private final Set<String> carriers = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
    /** Carrier class -> the methods added with its state field (read without the lock). */
    private final Map<String, InstrumentationSpec.Delegates> delegates = new ConcurrentHashMap<String, InstrumentationSpec.Delegates>();
    /** Patched class -> packages its hooks call directly, exported when it is retransformed (guarded by this). */
    private final Map<String, List<String>> exports = new HashMap<String, List<String>>();
    /** Carrier class -> what {@link #owner} says of it (guarded by this). */
    private final Map<String, String> owners = new HashMap<String, String>();
    /**
     * Every class an instrumentation of this transformer names, hashed by its simple name (after the last '/'), so
     * that a relocated copy ({@code x/internal/} + the original name) is found by the same lookup. Fixed after the
     * constructor: the one lookup that every class loaded costs, with nothing allocated.
     */
    private final Named[] index;
    private final boolean empty;
    /** Bits of the instrumentations whose spec is built when a class they name first loads (guarded by this). */
    private int lazy;
    /** Bits of the instrumentations whose start action waits for a class of {@link Instrumentations#STARTED_BY}. */
    private int unstarted;
    /** {@link Relocation#key()} of every relocated copy whose patches are in {@link #targets} (guarded by this). */
    private final Set<String> copies = new HashSet<String>();
    /** For the helper injector, once a class with helpers is patched; null in tests. */
    private final Instrumentation inst;

    PatchTransformer(Collection<InstrumentationSpec> instrumentations) {
        this(instrumentations, 0, null);
    }

    /**
     * With {@code instrumentations} built already, and the rows of {@link Instrumentations#CLASSES} whose bits are in
     * {@code lazy} built when a class they name loads.
     */
    PatchTransformer(Collection<InstrumentationSpec> instrumentations, int lazy, Instrumentation inst) {
        this.inst = inst;
        List<Named> named = new ArrayList<Named>();
        for (InstrumentationSpec instrumentation : instrumentations) {
            add(instrumentation);
            int row = Instrumentations.row(instrumentation.name);
            for (MethodPatch patch : instrumentation.patches) named.add(new Named(patch.className, row));
            for (String name : instrumentation.carriers) named.add(new Named(name, row));
        }
        for (int i = 0; i < Instrumentations.CLASSES.length; i++) {
            if ((lazy & 1 << i) == 0) continue;
            String[] row = Instrumentations.CLASSES[i];
            for (int j = 1; j < row.length; j++) named.add(new Named(row[j], i));
        }
        for (String[] library : Instrumentations.REQUIRED) {
            int row = Instrumentations.row(library[0]);
            if (row >= 0 && (lazy & 1 << row) != 0) named.add(new Named(library[1], row, library[2], false));
        }
        for (String[] starter : Instrumentations.STARTED_BY) {
            int row = Instrumentations.row(starter[0]);
            if (row < 0 || (lazy & 1 << row) == 0) continue;
            unstarted |= 1 << row;
            for (int j = 1; j < starter.length; j++) named.add(new Named(starter[j], row, null, true));
        }
        this.lazy = lazy;
        empty = named.isEmpty();
        index = new Named[Integer.highestOneBit(Math.max(named.size(), 1) * 4)];
        for (Named n : named) {
            n.next = index[n.simpleHash & index.length - 1];
            index[n.simpleHash & index.length - 1] = n;
        }
    }

    /**
     * Where {@code name}'s simple name starts (after the last {@code separator}) and its String.hashCode, packed in
     * one long: one pass from the end, nothing allocated. Every class loaded costs one of these, interpreted at start.
     */
    private static long simpleName(String name, char separator) {
        int hash = 0, power = 1, i = name.length() - 1;
        for (char c; i >= 0 && (c = name.charAt(i)) != separator; i--, power *= 31) hash += c * power;
        return (long) (i + 1) << 32 | hash & 0xFFFFFFFFL;
    }

    private void add(InstrumentationSpec instrumentation) {
        for (MethodPatch patch : instrumentation.patches) {
            List<Target> old = targets.get(patch.className);
            List<Target> list = old == null ? new ArrayList<Target>(1) : new ArrayList<Target>(old);
            list.add(new Target(instrumentation.name, patch, instrumentation.helpers, instrumentation.relocation));
            targets.put(patch.className, list);
        }
        if (instrumentation.delegates != null) delegates.put(instrumentation.delegates.className, instrumentation.delegates);
        if (!instrumentation.exportsToHooks.isEmpty()) {
            for (MethodPatch patch : instrumentation.patches) exports.put(patch.className, instrumentation.exportsToHooks);
        }
        carriers.addAll(instrumentation.carriers);
        for (String carrier : instrumentation.carriers) {
            owners.put(carrier, instrumentation.relocation != null ? instrumentation.relocation.toString() : instrumentation.name);
        }
    }

    /** The instrumentation (and copy) that patches {@code className} or gives it the state field, once prepared. */
    synchronized String owner(String className) {
        List<Target> patches = targets.get(className);
        return patches != null ? patches.get(0).describe() : owners.get(className);
    }

    /** Builds the specs not built yet of the instrumentations in {@code bits}. */
    private synchronized void build(int bits) {
        int todo = bits & lazy;
        for (int i = 0; todo != 0; i++, todo >>>= 1) {
            if ((todo & 1) == 0) continue;
            lazy &= ~(1 << i);
            try {
                add(Instrumentations.spec(i));
            } catch (Throwable t) {
                Log.warn(Instrumentations.CLASSES[i][0] + ": could not be prepared, left off (" + t + ")");
            }
        }
    }

    /** Runs instrumentation {@code row}'s start action, the first time a class of its {@link Instrumentations#STARTED_BY} row loads. */
    private synchronized void start(int row) {
        if ((unstarted & 1 << row) == 0) return;
        unstarted &= ~(1 << row);
        try {
            Runnable action = Instrumentations.spec(row).atStart;
            if (action != null) action.run();
        } catch (Throwable t) {
            Log.warn(Instrumentations.CLASSES[row][0] + ": could not start (" + t + ")");
        }
    }

    /**
     * Adds the patches of the relocated copy {@code copy} of instrumentation {@code row}'s library, the first time a
     * class of that copy loads.
     */
    private synchronized void relocate(int row, Relocation copy) {
        if (!copies.add(copy.key())) return;
        try {
            add(Instrumentations.spec(row).relocated(copy));
            RelocatedCopies.found(copy.toString());
            Log.debug(copy + ": found, instrumenting its classes as they load");
        } catch (Throwable t) {
            Log.warn(copy + ": could not be prepared, left off (" + t + ")");
        }
    }

    private synchronized List<Target> targets(String className) {
        return targets.get(className);
    }

    /**
     * Whether {@code className} (internal name) is a class this transformer patches or gives the state field, under
     * its own name or as a relocated copy; prepares its patches if so.
     */
    boolean instruments(String className, ClassLoader loader) {
        long simple = simpleName(className, '/');
        int start = (int) (simple >>> 32), hash = (int) simple;
        Named first = index[hash & index.length - 1];
        for (Named n = first; n != null; n = n.next) {
            if (n.sameSimpleName(className, start, hash) && n.name.equals(className)) {
                if (n.required != null) {
                    checkRequired(loader, className, n.required, Instrumentations.CLASSES[n.row][0]);
                    return false;
                }
                if (n.starts) {
                    start(n.row);
                    return false;
                }
                if (n.row >= 0) build(1 << n.row);
                return true;
            }
        }
        for (Named n = first; n != null; n = n.next) {
            if (n.roots == null || !n.sameSimpleName(className, start, hash)) continue;
            Relocation copy = Relocation.find(Instrumentations.CLASSES[n.row][0], className, n.name, n.roots);
            if (copy == null) continue;
            if (n.required != null) {
                checkRequired(loader, className, copy.map(n.required), copy.toString());
                return false;
            }
            relocate(n.row, copy);
            return true;
        }
        return false;
    }

    /**
     * Whether {@code binaryName} (dotted) has the simple name of a class this transformer names: the cheap first test
     * of {@link #instruments}, which needs the internal name.
     */
    boolean mayInstrument(String binaryName) {
        long simple = simpleName(binaryName, '.');
        int start = (int) (simple >>> 32), hash = (int) simple;
        for (Named n = index[hash & index.length - 1]; n != null; n = n.next) {
            if (n.sameSimpleName(binaryName, start, hash)) return true;
        }
        return false;
    }

    /**
     * {@code library} is used from {@code loader} ({@code className} loads there): one line if that loader has no
     * {@code required}, the class its patches need (an older version of the library), once per library and loader.
     */
    private static void checkRequired(ClassLoader loader, String className, String required, String library) {
        if (loader == null || !Log.firstTime("required " + library + " " + System.identityHashCode(loader))) return;
        if (loader.getResource(required + ".class") == null) {
            Log.warn(library + ": this version has no " + required.replace('/', '.') + " (found "
                    + className.replace('/', '.') + "); its requests are not instrumented");
        }
    }

    /**
     * Internal names of the classes that get the state field: a live set, which has a class's name by the time
     * {@link #transform} returns for it.
     */
    Set<String> carriers() {
        return carriers;
    }

    boolean isEmpty() {
        return empty;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        if (!instruments(className, loader)) {
            if (loader != null && classBeingRedefined == null && className.equals(HOLDER_INTERNAL)) {
                HolderCopies.noticeDefining(loader); // read, never changed
            }
            return null;
        }
        List<Target> patches = targets(className);
        // A loaded class cannot change its shape: it keeps the field it was loaded with (a retransformation starts
        // again from the original bytes), and one loaded without keeps its objects' state in StateField's map.
        boolean addStateField = carriers.contains(className)
                && (classBeingRedefined == null || StateField.Carrier.class.isAssignableFrom(classBeingRedefined));
        if (patches == null && !addStateField) {
            return null;
        }
        if (patches == null) {
            patches = Collections.emptyList();
        }
        try {
            if (classBeingRedefined != null) exportToHooks(className);
            byte[] patched = patch(className, patches, addStateField, addStateField ? delegates.get(className) : null,
                    new ClassFilePatcher(classfileBuffer));
            if (patched != null) {
                for (Target target : patches) {
                    if (target.helpers.isEmpty()) continue; // HelperInjector is loaded only for a library that needs it
                    if (inst != null) HelperInjector.init(inst);
                    if (!HelperInjector.inject(loader, target.helpers, target.relocation, protectionDomain)) {
                        return null; // the inserted calls would have nothing to call
                    }
                }
                if (Log.debug) Log.debug(owner(className) + ": instrumented " + className.replace('/', '.'));
            }
            return patched;
        } catch (Throwable t) {
            Log.warnOnce("transform " + className, "could not instrument " + className.replace('/', '.')
                    + ", left as it is: " + t);
            return null;
        }
    }

    /**
     * Exports the packages that the hooks of {@code className} call directly: a class retransformed keeps its shape, so
     * its hooks reach the JDK internals without the delegates a class gets when it loads. Once per class.
     */
    private void exportToHooks(String className) {
        List<String> packages;
        synchronized (this) {
            packages = exports.remove(className);
        }
        if (packages == null || inst == null) return; // redefined outside the lock: it loads classes of its own
        for (String export : packages) {
            try {
                int slash = export.indexOf('/');
                Modules.export(inst, export.substring(0, slash), export.substring(slash + 1), StateField.class);
            } catch (Throwable t) {
                Log.warn(owner(className) + ": could not export " + export + " to the hooks: " + t);
            }
        }
    }

    static byte[] patch(String className, List<Target> patches, boolean addStateField, byte[] classfile) {
        return patch(className, patches, addStateField, null, new ClassFilePatcher(classfile));
    }

    /** The patched class, or null to leave it as it is. */
    static byte[] patch(String className, List<Target> patches, boolean addStateField,
                        InstrumentationSpec.Delegates delegates, ClassFilePatcher shape) {
        if (shape.referencesTagalong()) {
            Log.debug(className.replace('/', '.') + " already calls Tagalong; not instrumented again");
            return null;
        }
        Map<String, MethodPatch> fitting = new HashMap<String, MethodPatch>();
        Set<String> groupsDone = new HashSet<String>();
        List<Target> misfits = new ArrayList<Target>();
        for (Target target : patches) {
            String group = target.patch.group;
            if (group != null && groupsDone.contains(group)) {
                continue; // an earlier alternative fits
            }
            if (fits(shape, target.patch)) {
                fitting.put(target.patch.methodName + target.patch.descriptor, target.patch);
                if (group != null) {
                    groupsDone.add(group);
                }
            } else {
                misfits.add(target);
            }
        }
        for (Target target : misfits) {
            if (target.patch.group == null || !groupsDone.contains(target.patch.group)) {
                Log.warnOnce(target.instrumentation + " shape " + className, target.describe() + ": "
                        + className.replace('/', '.') + " does not have the expected shape; not instrumented");
            }
        }
        // The field serves the patches: a class whose patches do not fit gets none (one without patches is a carrier only).
        boolean stateField = addStateField && !shape.isInterface() && (patches.isEmpty() || !fitting.isEmpty());
        if (fitting.isEmpty() && !stateField) {
            return null;
        }
        // A class with tagalong$ methods already was left above (referencesTagalong): only the field can be missing.
        boolean delegated = stateField && delegates != null && shape.hasField(delegates.field, delegates.fieldDescriptor);
        return shape.patch(fitting.values(), stateField, delegated ? delegates : null);
    }

    private static boolean fits(ClassFilePatcher shape, MethodPatch patch) {
        if (!shape.hasCode(patch.methodName, patch.descriptor)) {
            return false;
        }
        for (int i = 0; i < patch.requiredFields.size(); i += 2) {
            if (!shape.hasField(patch.requiredFields.get(i), patch.requiredFields.get(i + 1))) {
                return false;
            }
        }
        return true;
    }
}
