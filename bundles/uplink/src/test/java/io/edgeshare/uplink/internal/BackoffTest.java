package io.edgeshare.uplink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesUpToMaxAndResets() {
        Backoff b = new Backoff(1000, 8000, () -> 1.0); // always the top of the window
        assertEquals(2000, b.nextDelayMs());
        assertEquals(4000, b.nextDelayMs());
        assertEquals(8000, b.nextDelayMs());
        assertEquals(8000, b.nextDelayMs());
        b.reset();
        assertEquals(2000, b.nextDelayMs());
    }

    @Test
    void jitterSpreadsAFleetOverTheWholeWindow() {
        Random random = new Random(7);
        Set<Long> buckets = new HashSet<>();
        for (int gateway = 0; gateway < 1000; gateway++) {
            Backoff b = new Backoff(1000, 60000, random::nextDouble);
            for (int i = 0; i < 6; i++) {
                b.nextDelayMs();
            }
            long d = b.nextDelayMs(); // 7th attempt: window 1 s .. 60 s
            assertTrue(d >= 1000 && d <= 60000, "delay " + d);
            buckets.add(d / 5000);
        }
        assertEquals(12, buckets.size(), "1000 gateways should land in every 5 s slice of the window");
    }

    @Test
    void neverBelowTheMinimum() {
        assertEquals(1000, new Backoff(1000, 8000, () -> 0.0).nextDelayMs());
    }

    @Test
    void theFirstRetryOfAFleetIsSpreadToo() {
        Random random = new Random(11);
        Set<Long> buckets = new HashSet<>();
        for (int gateway = 0; gateway < 1000; gateway++) {
            long d = new Backoff(1000, 60000, random::nextDouble).nextDelayMs();
            assertTrue(d >= 1000 && d <= 2000, "first delay " + d);
            buckets.add(d / 100);
        }
        assertTrue(buckets.size() >= 10, "1000 gateways' first retries land in every 100 ms slice of [1 s, 2 s]: "
                + buckets);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 5, () -> 0));
    }
}
