package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The registry's table against a {@link HashMap} doing the same: adds, removes, lookups, growth and shrinking. */
class IdTableTest {

    /** An entry with an id, compared by identity as the registry's connections are. */
    private record Entry(long id) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    @Test
    void behavesAsAMapByIdThroughGrowthAndShrinking() {
        IdTable<Entry> table = new IdTable<>(Entry::id);
        Map<Long, Entry> reference = new HashMap<>();
        List<Entry> listed = new ArrayList<>();
        Random random = new Random(42);
        long nextId = 1;
        for (int step = 0; step < 200_000; step++) {
            // Phases that grow to thousands of entries, then drain to a few, so the table rehashes both ways.
            boolean growing = (step / 20_000) % 2 == 0;
            if (listed.isEmpty() || random.nextInt(10) < (growing ? 7 : 3)) {
                Entry e = new Entry(nextId++);
                assertTrue(table.add(e));
                reference.put(e.id(), e);
                listed.add(e);
            } else {
                Entry e = listed.remove(random.nextInt(listed.size()));
                assertTrue(table.remove(e));
                assertFalse(table.remove(e), "removed once");
                reference.remove(e.id());
            }
            if (step % 97 == 0) {
                long probe = 1 + random.nextInt((int) nextId);
                assertSame(reference.get(probe), table.get(probe), "lookup of id " + probe);
            }
            assertEquals(reference.size(), table.size());
        }
        for (Entry e : listed) {
            assertSame(e, table.get(e.id()));
        }
        Entry[] copy = table.copyInto(new Entry[table.size()]);
        assertEquals(new HashSet<>(reference.values()), new HashSet<>(Arrays.asList(copy)));
    }

    @Test
    void anotherEntryWithTheSameIdIsNeitherAddedNorRemoved() {
        IdTable<Entry> table = new IdTable<>(Entry::id);
        Entry a = new Entry(7);
        Entry twin = new Entry(7);
        assertTrue(table.add(a));
        assertFalse(table.add(twin));
        assertFalse(table.remove(twin));
        assertSame(a, table.get(7));
        assertTrue(table.remove(a));
        assertNull(table.get(7));
        assertEquals(0, table.size());
    }
}
