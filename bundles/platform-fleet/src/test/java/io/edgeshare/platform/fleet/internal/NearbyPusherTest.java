package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.edgeshare.protocol.NearbySharerEntry;

/** The pushing rules with a publisher whose acknowledgements the test gives or refuses. */
class NearbyPusherTest {
    /** A publish the test has not yet answered. */
    private record Publish(String deviceId, List<NearbySharerEntry> sharers, CompletableFuture<Void> ack) {
    }

    private final List<Publish> publishes = new ArrayList<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private final PushLatency latency = new PushLatency();

    @AfterEach
    void stop() {
        retries.shutdownNow();
    }

    private synchronized CompletionStage<Void> publish(String id, List<NearbySharerEntry> sharers) {
        Publish p = new Publish(id, sharers, new CompletableFuture<>());
        publishes.add(p);
        return p.ack();
    }

    private synchronized List<Publish> published() {
        return List.copyOf(publishes);
    }

    private NearbyPusher pusher(int maxInFlight) {
        return new NearbyPusher(this::publish, retries, latency, System::nanoTime, () -> maxInFlight, false);
    }

    private static List<NearbySharerEntry> list(String... sharers) {
        List<NearbySharerEntry> out = new ArrayList<>();
        for (String s : sharers) {
            out.add(new NearbySharerEntry(s, "", "http://" + s + ".example/", 10.0, List.of("c1")));
        }
        return out;
    }

    @Test
    void neverMoreInFlightThanTheBound() {
        NearbyPusher pusher = pusher(3);
        for (int i = 0; i < 10; i++) {
            pusher.offer("gw-" + i, list("gw-x"), System.nanoTime());
        }
        assertEquals(3, published().size());
        published().get(0).ack().complete(null);
        assertEquals(4, published().size());
    }

    @Test
    void offersWhileInFlightCoalesceToTheLatest() {
        NearbyPusher pusher = pusher(1);
        pusher.offer("gw-a", list("gw-1"), System.nanoTime());
        pusher.offer("gw-a", list("gw-2"), System.nanoTime());
        pusher.offer("gw-a", list("gw-3"), System.nanoTime());
        published().get(0).ack().complete(null);
        assertEquals(2, published().size(), "one publish for the two lists offered meanwhile");
        assertEquals(list("gw-3"), published().get(1).sharers());
    }

    @Test
    void aRefusedPublishIsRetriedAndOnlyTheAcknowledgedListCountsAsSent() throws InterruptedException {
        NearbyPusher pusher = pusher(1);
        pusher.offer("gw-a", list("gw-1"), System.nanoTime());
        published().get(0).ack().completeExceptionally(new IllegalStateException("too many publishes in progress"));
        assertTrue(pusher.sent("gw-a").isEmpty(), "not sent until acknowledged");
        FleetFixtures.waitUntil(() -> published().size() == 2, 10);
        assertEquals(list("gw-1"), published().get(1).sharers());
        published().get(1).ack().complete(null);
        assertEquals(list("gw-1"), pusher.sent("gw-a").orElseThrow());
        assertEquals(0, pusher.waiting());
    }

    @Test
    void aListTheGatewayAlreadyHoldsIsNotPublished() {
        NearbyPusher pusher = pusher(4);
        pusher.offer("gw-a", list("gw-1"), System.nanoTime());
        published().get(0).ack().complete(null);
        pusher.offer("gw-a", list("gw-1"), System.nanoTime());
        assertEquals(1, published().size());
    }

    @Test
    void aHeldPusherSkipsListsEqualToTheRetainedOnes() {
        NearbyPusher pusher = new NearbyPusher(this::publish, retries, latency, System::nanoTime, () -> 4, true);
        pusher.offer("gw-a", list("gw-1"), System.nanoTime());
        pusher.offer("gw-b", list("gw-2"), System.nanoTime());
        pusher.remember("gw-a", list("gw-1"));
        pusher.remember("gw-b", list("gw-9"));
        assertEquals(0, published().size(), "nothing before release");
        pusher.release();
        assertEquals(1, published().size());
        assertEquals("gw-b", published().get(0).deviceId());
    }

    @Test
    void latencyIsRecordedPerAcknowledgedList() {
        NearbyPusher pusher = pusher(2);
        pusher.offer("gw-a", list("gw-1"), System.nanoTime());
        pusher.offer("gw-b", list("gw-1"), System.nanoTime());
        published().forEach(p -> p.ack().complete(null));
        assertEquals(2, latency.count());
    }
}
