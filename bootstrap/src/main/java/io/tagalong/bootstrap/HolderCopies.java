package io.tagalong.bootstrap;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The program's own copies of {@code io.tagalong.StorageHeaders}: one that it loaded from its class path before a
 * runtime attach, or one that a child-first class loader defined. Their scopes live in that copy, not in the
 * agent's, so this source reads each copy's public {@code current()} on the request's thread. Read-only: nothing in
 * the copy changes. Its entries are headers already (no mapping), at the context holder's precedence.
 *
 * <p>Copies are held weakly (class and method): a class loader that goes away is not kept alive. Until a copy is
 * noticed this source is not in the pipeline at all.
 */
public final class HolderCopies implements ContextSource {
    static final String NAME = "io.tagalong.StorageHeaders";
    private static final HolderCopies INSTANCE = new HolderCopies();

    private volatile List<Copy> copies = new ArrayList<Copy>();
    private boolean inPipeline;

    HolderCopies() {}

    /** A copy that is loaded already (found by the agent's scan at start). The agent's own copy is ignored. */
    public static void noticeLoaded(Class<?> copy) {
        if (copy.getClassLoader() != null && NAME.equals(copy.getName())) INSTANCE.addToPipeline(new Copy(copy.getClassLoader(), copy));
    }

    /** A copy that this class loader is defining now (seen by the transformer): resolved at its first use. */
    public static void noticeDefining(ClassLoader loader) {
        if (loader != null) INSTANCE.addToPipeline(new Copy(loader, null));
    }

    private synchronized void addToPipeline(Copy copy) {
        if (!add(copy) || inPipeline) return;
        Pipeline pipeline = Tagalong.pipeline();
        if (pipeline != null) {
            pipeline.register(this);
            inPipeline = true;
        }
    }

    /** False when this loader's copy is known already (the scan and the transformer may both see it). */
    synchronized boolean add(Copy copy) {
        ClassLoader loader = copy.loader.get();
        List<Copy> next = new ArrayList<Copy>();
        for (Copy c : copies) {
            ClassLoader l = c.loader.get();
            if (l == loader) return false;
            if (l != null) next.add(c);
        }
        next.add(copy);
        copies = next;
        Log.debug("the program's own copy of " + NAME + " in " + loader.getClass().getName() + " is read too");
        return true;
    }

    @Override
    public Kind kind() {
        return Kind.HOLDER;
    }

    /** The non-empty snapshots of the copies, as a List of Maps; null when all are empty. */
    @Override
    public Object capture() {
        List<Copy> all = copies;
        List<Map<?, ?>> found = null;
        for (int i = 0; i < all.size(); i++) {
            Map<?, ?> current = all.get(i).current();
            if (current != null && !current.isEmpty()) {
                if (found == null) found = new ArrayList<Map<?, ?>>(1);
                found.add(current);
            }
        }
        return found;
    }

    @Override
    public void forEach(Object captured, EntrySink sink) {
        for (Object current : (List<?>) captured) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) current).entrySet()) {
                if (e.getKey() instanceof String && e.getValue() instanceof String) sink.accept((String) e.getKey(), (String) e.getValue());
            }
        }
    }

    /** One copy: its class loader, and the class and its current() once known. All weak. */
    static final class Copy {
        final WeakReference<ClassLoader> loader;
        private volatile WeakReference<Class<?>> type;
        private volatile WeakReference<Method> current = new WeakReference<Method>(null);
        /** Not a copy to read: the loader's class is another loader's, or it could not be found. */
        private volatile boolean skip;

        Copy(ClassLoader loader, Class<?> type) {
            this.loader = new WeakReference<ClassLoader>(loader);
            this.type = type == null ? null : new WeakReference<Class<?>>(type);
        }

        /** The copy's current headers, or null when it is gone, not defined (yet), or not ours to read. */
        Map<?, ?> current() {
            Method m = current.get();
            if (m == null) {
                m = lookUp();
                if (m == null) return null;
            }
            try {
                return (Map<?, ?>) m.invoke(null);
            } catch (Exception e) {
                Log.warnOnce("holder-copy-read", "the program's own copy of " + NAME + " could not be read ("
                        + e.getClass().getSimpleName() + "); its scopes are skipped");
                return null;
            }
        }

        /**
         * The Method is re-found whenever the collector cleared it (the class, held by its loader, is still there).
         * Class.forName with the defining loader finds the class it defined without loading anything.
         */
        private Method lookUp() {
            if (skip) return null;
            try {
                Class<?> c = type == null ? null : type.get();
                if (c == null) {
                    ClassLoader l = loader.get();
                    if (l == null) return null;
                    c = Class.forName(NAME, false, l);
                    if (c.getClassLoader() != l) { // l delegated to another copy: that one is noticed itself
                        skip = true;
                        return null;
                    }
                    type = new WeakReference<Class<?>>(c);
                }
                Method m = c.getMethod("current");
                current = new WeakReference<Method>(m);
                return m;
            } catch (Throwable t) {
                skip = true;
                return null;
            }
        }
    }
}
