package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/** Which program-side helper answers for a thread, and that a helper's class loader is not kept alive. */
class ProgramSourcesTest {
    /** A helper as the agent defines it: one class per application class loader. */
    public static final class Helper implements ContextSource {
        @Override
        public Kind kind() {
            return Kind.MDC;
        }

        @Override
        public Object capture() {
            return getClass().getClassLoader();
        }

        @Override
        public void forEach(Object captured, EntrySink sink) {}
    }

    /** An application class loader that defines its own copy of Helper and delegates everything else. */
    static final class AppLoader extends ClassLoader {
        AppLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(Helper.class.getName())) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c != null) return c;
                try (InputStream in = ProgramSourcesTest.class.getResourceAsStream("ProgramSourcesTest$Helper.class")) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (java.io.IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }

    private static ContextSource helperIn(ClassLoader loader) throws Exception {
        return (ContextSource) loader.loadClass(Helper.class.getName()).getConstructor().newInstance();
    }

    @Test
    void eachLoaderReadsItsOwnHelperOrItsParentsNeverAnothers() throws Exception {
        ClassLoader test = getClass().getClassLoader();
        AppLoader a = new AppLoader(test), b = new AppLoader(test);
        ClassLoader childOfA = new ClassLoader(a) {};
        ProgramSources sources = ProgramSources.forTest(ContextSource.Kind.MDC);
        ContextSource inA = helperIn(a), inB = helperIn(b);
        sources.addForTest(inA);
        assertSame(inA, sources.helperFor(test), "the only helper answers for a thread of another loader");
        sources.addForTest(inB);

        assertSame(inA, sources.helperFor(a));
        assertSame(inB, sources.helperFor(b));
        assertSame(inA, sources.helperFor(childOfA));
        assertNull(sources.helperFor(test), "two candidates and none of them the thread's: nobody answers");
        assertNull(sources.helperFor(null));
    }

    @Test
    void aHelpersClassLoaderIsNotKeptAlive() throws Exception {
        ProgramSources sources = ProgramSources.forTest(ContextSource.Kind.MDC);
        AppLoader loader = new AppLoader(getClass().getClassLoader());
        sources.addForTest(helperIn(loader));
        WeakReference<ClassLoader> gone = new WeakReference<>(loader);
        loader = null;
        for (int i = 0; i < 50 && gone.get() != null; i++) System.gc();
        assertNull(gone.get(), "the registry kept the helper's class loader alive");
        assertNull(sources.helperFor(getClass().getClassLoader()));
    }
}
