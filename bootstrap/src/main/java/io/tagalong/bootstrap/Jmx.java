package io.tagalong.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers {@link AgentMXBean} in the platform MBean server once that server exists, without ever creating it:
 * creating it costs tens of milliseconds at start, and a program (an application server) may want to create it
 * itself, with its own builder. The platform server is one of {@link MBeanServerFactory#findMBeanServer}'s (the
 * JDK creates it through that factory), recognised by the JDK's own {@code java.lang:type=Runtime}. The monitor
 * thread asks now and then; the question loads one small class and creates nothing.
 */
final class Jmx implements AgentMXBean {
    static final String NAME = "io.tagalong:type=Agent";

    private final Pipeline pipeline;
    private final Config config;

    private Jmx(Pipeline pipeline, Config config) {
        this.pipeline = pipeline;
        this.config = config;
    }

    /** True once registered (or once it is clear it never can be: no java.management). */
    static boolean registerIfServerExists(Pipeline pipeline, Config config) {
        try {
            ObjectName runtime = new ObjectName("java.lang:type=Runtime");
            for (MBeanServer server : MBeanServerFactory.findMBeanServer(null)) {
                if (!server.isRegistered(runtime)) continue;
                ObjectName name = new ObjectName(NAME);
                if (!server.isRegistered(name)) {
                    server.registerMBean(new StandardMBean(new Jmx(pipeline, config), AgentMXBean.class, true), name);
                }
                Log.debug("MBean " + NAME + " registered in the platform MBean server");
                return true;
            }
            return false;
        } catch (LinkageError e) {
            return true; // a runtime without java.management: nothing to register in, ever
        } catch (Exception e) {
            Log.warnOnce("jmx", "MBean " + NAME + " could not be registered (" + e.getClass().getSimpleName() + ")");
            return true;
        }
    }

    @Override
    public String getVersion() {
        return Tagalong.version();
    }

    @Override
    public String[] getConfiguration() {
        List<String> lines = new ArrayList<>(config.describe());
        for (String problem : config.problems()) lines.add("problem: " + problem);
        return lines.toArray(new String[0]);
    }

    @Override
    public Map<String, Long> getStorageRequests() {
        return pipeline.counters.each(c -> c.requests.sum());
    }

    @Override
    public Map<String, Long> getHeadersSet() {
        return pipeline.counters.each(c -> c.set.sum());
    }

    @Override
    public Map<String, Long> getHeadersKept() {
        return pipeline.counters.each(c -> c.kept.sum());
    }

    @Override
    public Map<String, Long> getHeadersRefused() {
        return pipeline.counters.refused();
    }

    @Override
    public Map<String, Long> getAuditMisses() {
        return pipeline.counters.misses();
    }

    @Override
    public Map<String, Long> getAuditLinesDropped() {
        return pipeline.counters.each(c -> c.dropped.sum());
    }

    @Override
    public String[] getRelocatedCopies() {
        return RelocatedCopies.all();
    }
}
