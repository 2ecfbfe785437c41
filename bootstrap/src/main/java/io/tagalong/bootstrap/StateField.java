package io.tagalong.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a hook remembers about one object of a library (a request, a call, an exchange, a fork/join task): kept in a
 * field that the agent adds to the object's class when it patches the class before it loads ({@link Carrier}), so
 * that reading and writing it costs a field access and no thread ever waits for another. A class that was loaded
 * before the agent (a run-time attach, or another agent loaded it first) cannot get a field: its objects' state
 * lives in a weak identity map instead, which readers never lock and which keeps no object alive.
 */
public final class StateField {
    /** Added by the agent to the classes it patches at load time that need per-object state. */
    public interface Carrier {
        Object tagalong$state();

        void tagalong$state(Object state);
    }

    /** Name and descriptor of the field the agent adds, and of the Carrier methods that read and write it. */
    public static final String FIELD = "tagalong$state";

    private static final ConcurrentHashMap<Key, Object> FALLBACK = new ConcurrentHashMap<Key, Object>();
    private static final ReferenceQueue<Object> CLEARED = new ReferenceQueue<Object>();
    /** False until an object without the field gets state: until then a miss costs one volatile read. */
    private static volatile boolean fallbackUsed;

    private StateField() {}

    /** The state of {@code owner}, or null. */
    public static Object get(Object owner) {
        if (owner instanceof Carrier) return ((Carrier) owner).tagalong$state();
        if (!fallbackUsed || owner == null) return null;
        return FALLBACK.get(new Key(owner, null));
    }

    /** Sets (or with null, clears) the state of {@code owner}. */
    public static void set(Object owner, Object state) {
        if (owner instanceof Carrier) {
            ((Carrier) owner).tagalong$state(state);
            return;
        }
        if (owner == null) return;
        for (Object k; (k = CLEARED.poll()) != null; ) FALLBACK.remove(k);
        if (state == null) {
            if (fallbackUsed) FALLBACK.remove(new Key(owner, null));
            return;
        }
        fallbackUsed = true;
        FALLBACK.put(new Key(owner, CLEARED), state);
    }

    /** Objects by identity, held weakly (equals and hashCode of library objects may read state that changes). */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) return true;
            Object referent = get();
            return other instanceof Key && referent != null && referent == ((Key) other).get();
        }
    }
}
