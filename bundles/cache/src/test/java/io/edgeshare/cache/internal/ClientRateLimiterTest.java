package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {

    @Test
    void holdsAClientToItsRateAfterTheBurst() throws InterruptedException {
        ClientRateLimiter limiter = new ClientRateLimiter(1_000_000);
        long start = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            limiter.acquire("10.0.0.2", 100_000); // 3 MB: 1 MB burst + 2 s at 1 MB/s
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds > 1.8 && seconds < 4.5, "took " + seconds + " s");
    }

    @Test
    void clientsAreIndependentAndZeroMeansUnlimited() throws InterruptedException {
        ClientRateLimiter limiter = new ClientRateLimiter(1_000_000);
        limiter.acquire("a", 1_000_000);
        long start = System.nanoTime();
        limiter.acquire("b", 900_000);
        assertTrue(System.nanoTime() - start < 200_000_000L, "b has its own bucket");
        limiter.setRate(0);
        start = System.nanoTime();
        limiter.acquire("a", 50_000_000);
        assertTrue(System.nanoTime() - start < 50_000_000L);
    }
}
