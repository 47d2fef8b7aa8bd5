package io.edgeshare.audio.internal.fifo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class FifoRingTest {

    private static final long MS = 1_000_000L;
    private static final IcyMetadata ICY = new IcyMetadata("t", false);

    private static Chunk chunk(long seq, long ms) {
        return new Chunk(seq, new byte[] { (byte) seq }, ms * MS, ICY);
    }

    @Test
    void holdsAtMostTheBufferLengthAndEvictsOldestFirst() {
        FifoRing ring = new FifoRing(1000 * MS, 0, 100 * MS);
        for (int i = 0; i < 25; i++) {
            ring.append(chunk(i, 100));
        }
        assertEquals(24, ring.head());
        assertEquals(15, ring.oldest());
        assertEquals(1000 * MS, ring.filledNanos());
        assertNull(ring.get(14), "evicted");
        assertEquals(15, ring.get(15).seq());
        assertNull(ring.get(25), "not yet written");
    }

    @Test
    void sendingStartsWhenTheFillReachesTheThreshold() {
        FifoRing ring = new FifoRing(5000 * MS, 1000 * MS, 200 * MS);
        for (int i = 0; i < 4; i++) {
            ring.append(chunk(i, 200));
            assertFalse(ring.ready(), "800 ms is below the threshold");
        }
        ring.append(chunk(4, 200));
        assertTrue(ring.ready());
    }

    @Test
    void aNewListenerStartsABurstBehindTheLiveEdge() {
        FifoRing ring = new FifoRing(5000 * MS, 0, 200 * MS);
        for (int i = 0; i < 30; i++) {
            ring.append(chunk(i, 200));
        }
        assertEquals(29 - 9, ring.startPosition(2000 * MS), "2 s = 10 chunks up to the head");
        assertEquals(29, ring.startPosition(0), "no burst: the live edge");
        assertEquals(ring.oldest(), ring.startPosition(60_000 * MS), "never before the oldest chunk");
    }

    @Test
    void everyReaderGetsTheSameChunkObjectNoCopies() {
        FifoRing ring = new FifoRing(1000 * MS, 0, 100 * MS);
        Chunk c = chunk(0, 100);
        ring.append(c);
        assertSame(c, ring.get(0));
        assertSame(ring.get(0).data(), ring.get(0).data());
    }

    @Test
    void resizeKeepsPositionsValid() {
        FifoRing ring = new FifoRing(1000 * MS, 0, 100 * MS);
        for (int i = 0; i < 10; i++) {
            ring.append(chunk(i, 100));
        }
        ring.resize(3000 * MS, 0, 100 * MS);
        for (int i = 0; i < 10; i++) {
            assertEquals(i, ring.get(i).seq(), "held chunks survive growing");
        }
        for (int i = 10; i < 40; i++) {
            ring.append(chunk(i, 100));
        }
        assertEquals(10, ring.oldest(), "now holds 3 s");
        ring.resize(500 * MS, 0, 100 * MS);
        assertEquals(35, ring.oldest(), "shrinking evicts the oldest");
        assertEquals(39, ring.get(39).seq());
    }

    @Test
    void outOfOrderAppendIsRefused() {
        FifoRing ring = new FifoRing(1000 * MS, 0, 100 * MS);
        ring.append(chunk(0, 100));
        assertThrows(IllegalArgumentException.class, () -> ring.append(chunk(2, 100)));
    }

    @Test
    void icyBlockIsPaddedToSixteenBytesWithItsLengthFirst() {
        byte[] b = new IcyMetadata("Café 'live'", false).block();
        assertEquals(0, (b.length - 1) % 16);
        assertEquals((b.length - 1) / 16, b[0]);
        String text = new String(b, 1, b.length - 1, StandardCharsets.UTF_8).replace("\0", "");
        assertEquals("StreamTitle='Café \u2019live\u2019';", text);
    }
}
