package io.tagalong.agent;

import io.tagalong.bootstrap.Config;
import io.tagalong.bootstrap.Tagalong;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/** What {@code java -jar tagalong-agent.jar} prints: version, JVM, effective configuration, instrumentations. */
public final class SelfCheck {
    private SelfCheck() {}

    public static void print(PrintStream out) {
        out.println("Tagalong " + Tagalong.version());
        out.println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")");
        Config config = Config.load();
        out.println("configuration:");
        for (String line : config.describe()) {
            out.println("  " + line);
        }
        if (!config.problems().isEmpty()) {
            out.println("configuration problems (these entries are ignored):");
            for (String problem : config.problems()) {
                out.println("  " + problem);
            }
        }
        if (!config.notes().isEmpty()) {
            out.println("configuration notes (kept as configured):");
            for (String note : config.notes()) {
                out.println("  " + note);
            }
        }
        Set<String> available = new HashSet<String>();
        for (InstrumentationSpec instrumentation : Instrumentations.all()) {
            available.add(instrumentation.name);
        }
        out.println("instrumentations:");
        for (String name : Config.INSTRUMENTATIONS) {
            out.println("  " + name + "  " + (available.contains(name) ? "available" : "not in this build") + "  "
                    + (config.instrumentationEnabled(name) ? "enabled" : "disabled"));
        }
        StringBuilder relocatable = new StringBuilder();
        for (String[] row : Instrumentations.RELOCATABLE) {
            relocatable.append(relocatable.length() == 0 ? "" : ", ").append(row[0]);
        }
        out.println("relocated (shaded) copies are instrumented too for: " + relocatable);
        out.println("  each copy found is named in the debug output and by the MBean's RelocatedCopies");
    }
}
