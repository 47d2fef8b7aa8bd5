package io.edgeshare.platform.nearby.internal;

import java.util.Arrays;

/**
 * The k nearest candidates seen so far: a binary max-heap on (distance term, id) in two parallel arrays, so a
 * query allocates nothing per candidate.
 */
final class NearestHeap {
    interface Ids {
        String id(int slot);
    }

    private final int k;
    private final Ids ids;
    private double[] term = new double[16];
    private int[] slot = new int[16];
    private int size;

    NearestHeap(int k, Ids ids) {
        this.k = k;
        this.ids = ids;
    }

    int size() {
        return size;
    }

    void offer(double t, int s) {
        if (size < k) {
            if (size == term.length) {
                term = Arrays.copyOf(term, size * 2);
                slot = Arrays.copyOf(slot, size * 2);
            }
            term[size] = t;
            slot[size] = s;
            up(size++);
        } else if (farther(0, t, s)) {
            term[0] = t;
            slot[0] = s;
            down(0);
        }
    }

    /** Empties the heap, farthest first, into {@code terms}/{@code slots} from the end. */
    void drainNearestFirst(double[] terms, int[] slots) {
        for (int i = size - 1; i >= 0; i--) {
            terms[i] = term[0];
            slots[i] = slot[0];
            size--;
            term[0] = term[size];
            slot[0] = slot[size];
            down(0);
        }
    }

    /** Whether the entry at {@code i} is farther than (t, s): distance, then id. */
    private boolean farther(int i, double t, int s) {
        int c = Double.compare(term[i], t);
        return c > 0 || (c == 0 && ids.id(slot[i]).compareTo(ids.id(s)) > 0);
    }

    private void up(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!farther(i, term[parent], slot[parent])) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void down(int i) {
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int top = i;
            if (l < size && farther(l, term[top], slot[top])) {
                top = l;
            }
            if (r < size && farther(r, term[top], slot[top])) {
                top = r;
            }
            if (top == i) {
                return;
            }
            swap(i, top);
            i = top;
        }
    }

    private void swap(int a, int b) {
        double t = term[a];
        term[a] = term[b];
        term[b] = t;
        int s = slot[a];
        slot[a] = slot[b];
        slot[b] = s;
    }
}
