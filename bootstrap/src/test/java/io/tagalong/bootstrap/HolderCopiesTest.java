package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tagalong.StorageHeaders;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the program's own copy of the context holder: a real copy, defined by a child-first class loader. */
class HolderCopiesTest {
    /** Defines the io.tagalong classes itself from this module's classes, as an application server's loader may. */
    static final class ChildFirst extends URLClassLoader {
        ChildFirst() {
            super(new URL[] {StorageHeaders.class.getProtectionDomain().getCodeSource().getLocation()},
                    HolderCopiesTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.tagalong.")) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }

    private static Map<String, String> read(HolderCopies copies) {
        Object captured = copies.capture();
        if (captured == null) return null;
        Map<String, String> headers = new LinkedHashMap<>();
        copies.forEach(captured, headers::put);
        return headers;
    }

    @Test
    void readsTheScopesOfACopyFoundLoadedOrNoticedWhileDefined() throws Exception {
        try (ChildFirst loader = new ChildFirst()) {
            Class<?> copy = loader.loadClass(StorageHeaders.class.getName());
            assertNotSame(StorageHeaders.class, copy);
            for (HolderCopies.Copy found : List.of(new HolderCopies.Copy(loader, copy), new HolderCopies.Copy(loader, null))) {
                HolderCopies copies = new HolderCopies();
                copies.add(found);
                assertNull(read(copies), "no scope open: nothing");
                try (AutoCloseable scope = (AutoCloseable) copy.getMethod("with", String.class, String.class)
                        .invoke(null, "X-Team", "ml");
                     StorageHeaders.Scope agents = StorageHeaders.with("X-Agent", "own")) {
                    assertEquals(Map.of("X-Team", "ml"), read(copies), "the copy's scopes, not the agent's");
                }
                assertNull(read(copies));
            }
        }
    }

    @Test
    void aLoaderThatDelegatesTheHolderIsNotReadAndOneLoaderIsNoticedOnce() {
        HolderCopies copies = new HolderCopies();
        ClassLoader delegating = new ClassLoader(getClass().getClassLoader()) {};
        copies.add(new HolderCopies.Copy(delegating, null));
        assertEquals(false, copies.add(new HolderCopies.Copy(delegating, StorageHeaders.class)));
        try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Team", "ml")) {
            assertNull(read(copies), "the agent's own copy is read by the pipeline already, not twice");
        }
    }

    @Test
    void aCopysClassLoaderIsNotKeptAlive() throws Exception {
        HolderCopies copies = new HolderCopies();
        ChildFirst loader = new ChildFirst();
        Class<?> copy = loader.loadClass(StorageHeaders.class.getName());
        copies.add(new HolderCopies.Copy(loader, copy));
        AutoCloseable scope = (AutoCloseable) copy.getMethod("with", String.class, String.class).invoke(null, "X-Team", "ml");
        assertEquals(Map.of("X-Team", "ml"), read(copies)); // the Method is looked up and held now
        scope.close();
        WeakReference<ClassLoader> gone = new WeakReference<>(loader);
        loader.close();
        loader = null;
        copy = null;
        scope = null;
        for (int i = 0; i < 50 && gone.get() != null; i++) System.gc();
        assertNull(gone.get(), "the registry kept the copy's class loader alive");
        assertNull(read(copies));
    }
}
