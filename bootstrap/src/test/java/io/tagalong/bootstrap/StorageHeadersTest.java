package io.tagalong.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tagalong.StorageHeaders;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StorageHeadersTest {
    @RegisterExtension
    final CapturedStderr err = new CapturedStderr();

    @AfterEach
    void noScopeLeftOpen() {
        assertEquals(Collections.emptyMap(), StorageHeaders.current(), "a test left a scope open");
    }

    @Test
    void scopesNestInnerWinsAndCloseInReverse() {
        try (StorageHeaders.Scope outer = StorageHeaders.with("X-Team", "ml")) {
            Map<String, String> two = new LinkedHashMap<>();
            two.put("x-team", "inner");
            two.put("X-Job", "7");
            try (StorageHeaders.Scope inner = StorageHeaders.with(two)) {
                assertEquals("{X-Team=inner, X-Job=7}", StorageHeaders.current().toString());
            }
            assertEquals("{X-Team=ml}", StorageHeaders.current().toString());
        }
        assertEquals(Collections.emptyMap(), StorageHeaders.current());
    }

    @Test
    void closingOutOfOrderLeavesNothingBehind() {
        StorageHeaders.Scope outer = StorageHeaders.with("X-A", "1");
        StorageHeaders.Scope inner = StorageHeaders.with("X-B", "2");
        outer.close();
        assertEquals("{X-A=1, X-B=2}", StorageHeaders.current().toString());
        inner.close();
        assertEquals(Collections.emptyMap(), StorageHeaders.current());
        inner.close(); // twice is harmless
        assertEquals(Collections.emptyMap(), StorageHeaders.current());
    }

    @Test
    void wrapCarriesHeadersToAnotherThreadAndThePooledThreadKeepsNone() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Map<String, String>> inTask = new AtomicReference<>();
            Runnable task;
            try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Team", "ml")) {
                task = StorageHeaders.wrap(() -> inTask.set(StorageHeaders.current()));
            }
            pool.submit(task).get();
            assertEquals("{X-Team=ml}", inTask.get().toString());
            assertEquals(Collections.emptyMap(), pool.submit(StorageHeaders::current).get());
            try (StorageHeaders.Scope ignored = StorageHeaders.with("X-Job", "9")) {
                assertEquals("{X-Job=9}", pool.submit(StorageHeaders.wrap(StorageHeaders::current)).get().toString());
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void nullEntriesAreIgnored() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(null, "x");
        m.put("X-Ok", "1");
        m.put("X-Null", null);
        try (StorageHeaders.Scope ignored = StorageHeaders.with(m)) {
            assertEquals("{X-Ok=1}", StorageHeaders.current().toString());
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void entriesThatAreNotStringsAreIgnoredByNameOnlyAndNothingIsThrown() {
        Map raw = new LinkedHashMap();
        raw.put("X-Count", 42);               // an Integer value
        raw.put(7, "seven");                  // an Integer name
        raw.put("X-Ok", "1");
        raw.put("X-Secretive", new StringBuilder("hush")); // a CharSequence that is not a String
        try (StorageHeaders.Scope ignored = StorageHeaders.with((Map<String, String>) raw)) {
            assertEquals("{X-Ok=1}", StorageHeaders.current().toString());
        }
        String log = err.toString();
        assertTrue(log.contains("header X-Count ignored: its value is not a String"), log);
        assertTrue(log.contains("header X-Secretive ignored: its value is not a String"), log);
        assertTrue(log.contains("an entry whose name is not a String was ignored"), log);
        assertFalse(log.contains("42") || log.contains("seven") || log.contains("hush"), log);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void propertiesWithStringEntriesWork() {
        Properties props = new Properties();
        props.setProperty("X-Team", "ml");
        props.put("X-Port", 8080);
        try (StorageHeaders.Scope ignored = StorageHeaders.with((Map) props)) {
            assertEquals("{X-Team=ml}", StorageHeaders.current().toString());
        }
    }

    @Test
    void aMapThatFailsWhileReadOpensAScopeThatAddsNothingAndClosesCleanly() {
        Map<String, String> broken = new AbstractMap<String, String>() {
            @Override
            public Set<Entry<String, String>> entrySet() {
                throw new IllegalStateException("concurrently modified, say");
            }
        };
        try (StorageHeaders.Scope outer = StorageHeaders.with("X-Team", "ml")) {
            try (StorageHeaders.Scope inner = StorageHeaders.with(broken)) {
                assertEquals("{X-Team=ml}", StorageHeaders.current().toString());
            }
            assertEquals("{X-Team=ml}", StorageHeaders.current().toString());
        }
        assertTrue(err.toString().contains("the map failed while it was read (IllegalStateException)"), err.toString());
    }

    @Test
    void aMapWhoseEntriesFailHalfwayAddsNothingAtAll() {
        Map<String, String> half = new HashMap<String, String>() {
            @Override
            public Set<Entry<String, String>> entrySet() {
                Map<String, String> copy = new LinkedHashMap<>();
                copy.put("X-First", "1");
                copy.put(null, null);
                return new java.util.AbstractSet<Entry<String, String>>() {
                    @Override
                    public java.util.Iterator<Entry<String, String>> iterator() {
                        java.util.Iterator<Entry<String, String>> it = copy.entrySet().iterator();
                        return new java.util.Iterator<Entry<String, String>>() {
                            int n;

                            @Override
                            public boolean hasNext() {
                                return true;
                            }

                            @Override
                            public Entry<String, String> next() {
                                if (n++ == 1) throw new StackOverflowError();
                                return it.next();
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return 2;
                    }
                };
            }
        };
        try (StorageHeaders.Scope ignored = StorageHeaders.with(half)) {
            assertEquals(Collections.emptyMap(), StorageHeaders.current());
        }
    }

    @Test
    void withOneNameAndValueTakesNullsWithoutThrowing() {
        try (StorageHeaders.Scope a = StorageHeaders.with(null, "x"); StorageHeaders.Scope b = StorageHeaders.with("X-A", null)) {
            assertEquals(Collections.emptyMap(), StorageHeaders.current());
        }
        try (StorageHeaders.Scope ignored = StorageHeaders.with((Map<String, String>) null)) {
            assertEquals(Collections.emptyMap(), StorageHeaders.current());
        }
    }
}
