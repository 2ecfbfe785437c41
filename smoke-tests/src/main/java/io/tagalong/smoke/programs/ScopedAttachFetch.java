package io.tagalong.smoke.programs;

import io.tagalong.StorageHeaders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * For runtime attach to a program that uses its own copy of the context holder (tagalong-bootstrap on its class
 * path). Argument: a base URL.
 * <ol>
 *   <li>Before the attach, inside a scope X-Early=1: GET base/before-attach. Prints which loader defined
 *       StorageHeaders, then {@code waiting for attach}, and waits for a line on stdin.</li>
 *   <li>After the attach, inside a new scope X-Job=42: GET base/after-attach.</li>
 *   <li>A copy of tagalong-bootstrap loaded child-first by a new class loader (as an application server may):
 *       inside its scope X-Tenant=t1, GET base/child-first.</li>
 * </ol>
 * Exit 3 when a request does not end with a 2xx status.
 */
public final class ScopedAttachFetch {
    private ScopedAttachFetch() {}

    public static void main(String[] args) throws Exception {
        String base = args[0];
        boolean ok;
        try (StorageHeaders.Scope early = StorageHeaders.with("X-Early", "1")) {
            ok = Request.parse("GET " + base + "/before-attach").send();
        }
        System.out.println("StorageHeaders defined by " + (StorageHeaders.class.getClassLoader() == null ? "bootstrap" : "class path"));
        System.out.println("waiting for attach");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();

        try (StorageHeaders.Scope job = StorageHeaders.with("X-Job", "42")) {
            ok &= Request.parse("GET " + base + "/after-attach").send();
        }

        URL bootstrapJar = StorageHeaders.class.getProtectionDomain().getCodeSource().getLocation();
        try (ChildFirst loader = new ChildFirst(bootstrapJar)) {
            Class<?> copy = loader.loadClass(StorageHeaders.class.getName());
            Method with = copy.getMethod("with", String.class, String.class);
            try (AutoCloseable tenant = (AutoCloseable) with.invoke(null, "X-Tenant", "t1")) {
                ok &= Request.parse("GET " + base + "/child-first").send();
            }
        }
        if (!ok) {
            System.exit(3);
        }
    }

    /** Defines the io.tagalong classes itself from the given jar or directory, before asking its parent. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL url) {
            super(new URL[] {url}, ScopedAttachFetch.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.tagalong.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }
}
