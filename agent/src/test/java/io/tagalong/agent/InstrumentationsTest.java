package io.tagalong.agent;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.tagalong.agent.HttpUrlConnectionInstrumentation.CONNECTION;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The table the agent starts from says what the specs it builds later say. */
class InstrumentationsTest {

    @Test
    void eachRowNamesTheClassesItsSpecPatchesOrCarries() {
        for (int i = 0; i < Instrumentations.CLASSES.length; i++) {
            String[] row = Instrumentations.CLASSES[i];
            InstrumentationSpec spec = Instrumentations.spec(i);
            assertEquals(row[0], spec.name);
            Set<String> named = new HashSet<>(spec.carriers);
            for (MethodPatch patch : spec.patches) named.add(patch.className);
            assertEquals(named, new HashSet<>(Arrays.asList(row).subList(1, row.length)), row[0]);
        }
    }

    /** No spec is built at start: a start action must wait for a class of its instrumentation's STARTED_BY row. */
    @Test
    void everyStartActionWaitsForAClass() {
        Set<String> startedByAClass = new HashSet<>();
        for (String[] row : Instrumentations.STARTED_BY) startedByAClass.add(row[0]);
        for (InstrumentationSpec spec : Instrumentations.all()) {
            assertEquals(spec.atStart != null, startedByAClass.contains(spec.name), spec.name);
        }
    }

    @Test
    void aSpecBuiltWhenItsClassLoadsPatchesAsOneBuiltAtStart() throws Exception {
        byte[] original;
        try (InputStream in = ClassLoader.getSystemResourceAsStream(CONNECTION + ".class")) {
            original = in.readAllBytes();
        }
        int all = (1 << Instrumentations.CLASSES.length) - 1;
        byte[] lazy = new PatchTransformer(List.of(), all, null).transform(null, CONNECTION, null, null, original);
        byte[] eager = new PatchTransformer(Instrumentations.all()).transform(null, CONNECTION, null, null, original);
        assertNotNull(eager);
        assertArrayEquals(eager, lazy);
    }
}
