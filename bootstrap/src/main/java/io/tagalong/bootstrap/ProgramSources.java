package io.tagalong.bootstrap;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Sources that live in the program's class loaders: its OpenTelemetry API, its SLF4J MDC. A small helper, defined
 * in each class loader where the library appears, registers itself here; the pipeline sees one source per kind,
 * which reads the helper that belongs to the request's thread.
 *
 * <p>Which helper belongs to a thread: the first one defined in its context class loader or one of that loader's
 * parents (an application server or a Spark executor sets it to the code's own loader); when that finds none and
 * there is exactly one helper, that one. So the libraries of two applications never answer for each other.
 * Helpers are held weakly (each class holds its own instance): a class loader that goes away is not kept alive.
 */
public final class ProgramSources implements ContextSource {
    private static final ProgramSources BAGGAGE = new ProgramSources(Kind.BAGGAGE);
    private static final ProgramSources MDC = new ProgramSources(Kind.MDC);

    private final Kind kind;
    private volatile List<WeakReference<ContextSource>> helpers = new ArrayList<WeakReference<ContextSource>>();
    private volatile boolean superseded;
    private boolean inPipeline;

    private ProgramSources(Kind kind) {
        this.kind = kind;
    }

    /** Called once by each helper (from its static initializer, which also holds it). */
    public static void register(ContextSource helper) {
        ProgramSources registry = registry(helper.kind());
        if (registry != null) registry.add(helper);
    }

    /**
     * A process-wide source reads the same entries (the OpenTelemetry Java agent bridges the application's API to
     * its own context): the helpers of this kind are no longer read, so nothing is read twice.
     */
    public static void supersede(Kind kind) {
        ProgramSources registry = registry(kind);
        if (registry != null) registry.superseded = true;
    }

    /** Only baggage and MDC bridges live here (the program's own context-holder copies are {@link HolderCopies}). */
    private static ProgramSources registry(Kind kind) {
        if (kind == Kind.BAGGAGE) return BAGGAGE;
        if (kind == Kind.MDC) return MDC;
        Log.warnOnce("bridge-kind:" + kind, "a program-side bridge of kind " + kind + " is not supported; ignored");
        return null;
    }

    private synchronized void add(ContextSource helper) {
        List<WeakReference<ContextSource>> next = new ArrayList<WeakReference<ContextSource>>();
        for (WeakReference<ContextSource> ref : helpers) if (ref.get() != null) next.add(ref);
        next.add(new WeakReference<ContextSource>(helper));
        helpers = next;
        Log.debug(kind + " bridge registered in " + describe(helper.getClass().getClassLoader()));
        if (!inPipeline) {
            Pipeline pipeline = Tagalong.pipeline();
            if (pipeline != null) {
                pipeline.register(this);
                inPipeline = true;
            }
        }
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public Object capture() {
        if (superseded) return null;
        ContextSource helper = helperFor(Thread.currentThread().getContextClassLoader());
        if (helper == null) return null;
        Object value = helper.capture();
        return value == null ? null : new Captured(helper, value);
    }

    @Override
    public void forEach(Object captured, EntrySink sink) {
        Captured c = (Captured) captured;
        c.helper.forEach(c.value, sink);
    }

    /** The helper of this class loader or its nearest ancestor; else the only one; else null. */
    ContextSource helperFor(ClassLoader loader) {
        List<WeakReference<ContextSource>> all = helpers;
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            for (int i = 0; i < all.size(); i++) {
                ContextSource h = all.get(i).get();
                if (h != null && h.getClass().getClassLoader() == l) return h;
            }
        }
        ContextSource only = null;
        for (int i = 0; i < all.size(); i++) {
            ContextSource h = all.get(i).get();
            if (h != null) {
                if (only != null) return null;
                only = h;
            }
        }
        return only;
    }

    /** For tests: a fresh registry of one kind. */
    static ProgramSources forTest(Kind kind) {
        return new ProgramSources(kind);
    }

    void addForTest(ContextSource helper) {
        add(helper);
    }

    private static String describe(ClassLoader loader) {
        return loader == null ? "the bootstrap class loader" : loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader));
    }

    /** A helper's value, with the helper that can read it. */
    private static final class Captured {
        final ContextSource helper;
        final Object value;

        Captured(ContextSource helper, Object value) {
            this.helper = helper;
            this.value = value;
        }
    }
}
