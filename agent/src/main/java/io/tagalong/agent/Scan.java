package io.tagalong.agent;

import io.tagalong.bootstrap.Config;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * {@code java -jar tagalong-agent.jar scan PATH...}: which supported libraries, and which relocated (shaded) copies of
 * them, the jars and class directories of a job hold, and whether the agent would instrument them. Runs the agent's
 * own transformer on every class it names, so a copy in a shape that cannot be patched shows before the job runs.
 */
final class Scan {
    private Scan() {}

    /** Exit status: 0 everything found can be instrumented, 1 a class of a supported library cannot be. */
    static int run(List<String> paths, PrintStream out) throws IOException {
        Config config = Config.load();
        int enabled = 0;
        for (int i = 0; i < Instrumentations.CLASSES.length; i++) {
            if (config.instrumentationEnabled(Instrumentations.CLASSES[i][0])) enabled |= 1 << i;
        }
        PatchTransformer transformer = new PatchTransformer(Collections.<InstrumentationSpec>emptyList(), enabled, null);
        int status = 0;
        for (String path : paths) {
            status |= scan(transformer, new File(path), out);
        }
        out.println(status == 0 ? "result: everything found would be instrumented (exit 0)"
                : "result: some classes of supported libraries would be left as they are (exit 1)");
        return status;
    }

    /** A jar, or a class directory and then each jar in it (a {@code lib/*} class path entry). */
    private static int scan(PatchTransformer transformer, File path, PrintStream out) throws IOException {
        // copy (instrumentation, relocated or not) -> its classes, each marked when it would be left as it is
        Map<String, List<String>> found = new TreeMap<String, List<String>>();
        List<File> jars = new ArrayList<File>();
        int status = 0;
        if (path.isDirectory()) {
            status = scanDirectory(transformer, path, path, found, jars);
        } else {
            JarFile jar = new JarFile(path);
            try {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    String name = className(entry.getName());
                    if (name != null && transformer.instruments(name, null)) {
                        status |= scanClass(transformer, name, jar.getInputStream(entry), found);
                    }
                }
            } finally {
                jar.close();
            }
        }
        if (!path.isDirectory() || !found.isEmpty() || jars.isEmpty()) {
            out.println(path);
            if (found.isEmpty()) out.println("  no supported library");
            for (Map.Entry<String, List<String>> copy : found.entrySet()) {
                out.println("  " + copy.getKey());
                for (String line : copy.getValue()) out.println("    " + line);
            }
        }
        Collections.sort(jars);
        for (File jar : jars) {
            status |= scan(transformer, jar, out);
        }
        return status;
    }

    private static int scanDirectory(PatchTransformer transformer, File root, File dir, Map<String, List<String>> found,
                                     List<File> jars) throws IOException {
        File[] files = dir.listFiles();
        if (files == null) return 0;
        int status = 0;
        for (File f : files) {
            if (f.isDirectory()) {
                status |= scanDirectory(transformer, root, f, found, jars);
            } else if (f.getName().endsWith(".jar")) {
                jars.add(f);
            } else {
                String name = className(root.toURI().relativize(f.toURI()).getPath());
                if (name != null && transformer.instruments(name, null)) {
                    status |= scanClass(transformer, name, Files.newInputStream(f.toPath()), found);
                }
            }
        }
        return status;
    }

    /** The internal name of a class file entry, or null (not a class, or a multi-release or module entry). */
    private static String className(String entry) {
        if (!entry.endsWith(".class") || entry.startsWith("META-INF/") || entry.endsWith("module-info.class")) return null;
        return entry.substring(0, entry.length() - ".class".length());
    }

    private static int scanClass(PatchTransformer transformer, String name, InputStream in, Map<String, List<String>> found)
            throws IOException {
        byte[] classfile = HelperInjector.readAll(in);
        String copy = transformer.owner(name);
        boolean patched = transformer.transform(null, name, null, null, classfile) != null;
        List<String> lines = found.get(copy);
        if (lines == null) found.put(copy, lines = new ArrayList<String>());
        lines.add(name.replace('/', '.') + (patched ? "" : "   NOT instrumented: its shape does not fit (see the warning)"));
        return patched ? 0 : 1;
    }
}
