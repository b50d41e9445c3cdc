package io.duplex.nio;

import java.util.function.ToLongFunction;

/**
 * A set of objects keyed by a {@code long} id they carry: an open-addressing table with linear probing, so an
 * entry costs one array slot, with no map node or boxed key. The length is a power of two, kept between an
 * eighth and a half full. Not thread-safe.
 *
 * @param <T> the entries; their id must not change while listed
 */
final class IdTable<T> {

    private static final int MIN_CAPACITY = 16;

    private final ToLongFunction<? super T> idOf;
    private Object[] table = new Object[MIN_CAPACITY];
    private int size;

    /** @param idOf reads an entry's id */
    IdTable(ToLongFunction<? super T> idOf) {
        this.idOf = idOf;
    }

    int size() {
        return size;
    }

    /** The entry with {@code id}, or null. */
    T get(long id) {
        int i = indexOf(id);
        return i < 0 ? null : entry(i);
    }

    /** Adds {@code e} unless an entry with its id is listed; returns whether it was added. */
    boolean add(T e) {
        long id = idOf.applyAsLong(e);
        if (indexOf(id) >= 0) {
            return false;
        }
        if ((size + 1) * 2 > table.length) {
            rehash(table.length * 2);
        }
        insert(table, e, id);
        size++;
        return true;
    }

    /** Removes {@code e} itself (not another entry with its id); returns whether it was listed. */
    boolean remove(T e) {
        int i = indexOf(idOf.applyAsLong(e));
        if (i < 0 || table[i] != e) {
            return false;
        }
        delete(i);
        size--;
        if (table.length > MIN_CAPACITY && size * 8 < table.length) {
            rehash(table.length / 2);
        }
        return true;
    }

    /** The entries, copied into {@code into} (of length {@link #size()} at least); returns it. */
    T[] copyInto(T[] into) {
        int n = 0;
        for (Object o : table) {
            if (o != null) {
                @SuppressWarnings("unchecked")
                T e = (T) o;
                into[n++] = e;
            }
        }
        return into;
    }

    @SuppressWarnings("unchecked")
    private T entry(int i) {
        return (T) table[i];
    }

    private long idAt(Object[] t, int i) {
        @SuppressWarnings("unchecked")
        T e = (T) t[i];
        return idOf.applyAsLong(e);
    }

    private int indexOf(long id) {
        int mask = table.length - 1;
        for (int i = home(id, mask); table[i] != null; i = (i + 1) & mask) {
            if (idAt(table, i) == id) {
                return i;
            }
        }
        return -1;
    }

    private static int home(long id, int mask) {
        long h = id * 0x9E3779B97F4A7C15L; // spreads consecutive ids over the table
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private static void insert(Object[] t, Object e, long id) {
        int mask = t.length - 1;
        int i = home(id, mask);
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = e;
    }

    /**
     * Empties slot {@code i} and moves back the entries after it that probed past it, so every lookup still
     * meets its entry before an empty slot (no tombstones).
     */
    private void delete(int i) {
        Object[] t = table;
        int mask = t.length - 1;
        int hole = i;
        for (int j = (i + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int home = home(idAt(t, j), mask);
            // The entry at j may move into the hole unless its home lies cyclically in (hole, j].
            boolean homeAfterHole = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeAfterHole) {
                t[hole] = t[j];
                hole = j;
            }
        }
        t[hole] = null;
    }

    private void rehash(int capacity) {
        Object[] next = new Object[capacity];
        for (int i = 0; i < table.length; i++) {
            if (table[i] != null) {
                insert(next, table[i], idAt(table, i));
            }
        }
        table = next;
    }
}
