package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Objects of classes loaded without the state field (before the agent) keep their state in StateField's map. */
class StateFieldTest {
    @Test
    void stateOfAnObjectWithoutTheFieldIsKeptByIdentity() {
        // Equal but distinct objects: equals and hashCode of library objects must not mix their states.
        List<String> a = new ArrayList<>(), b = new ArrayList<>();
        StateField.set(a, "a");
        assertNull(StateField.get(b));
        StateField.set(b, "b");
        assertEquals("a", StateField.get(a));
        a.add("changed"); // a different hashCode now
        assertEquals("a", StateField.get(a));
        StateField.set(a, null);
        assertNull(StateField.get(a));
        assertEquals("b", StateField.get(b));
        assertNull(StateField.get(null));
    }
}
