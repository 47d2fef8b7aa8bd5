package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.edgeshare.protocol.NearbySharerEntry;

/** Incremental matching on the real grid, with a publisher the broker acknowledges at once. */
class NearbyMatcherTest {
    // about 200 m east of A, 600 m east of A, and far away
    private static final double LAT = 48.86;
    private static final double[] A = { LAT, 2.3300 };
    private static final double[] B = { LAT, 2.3327 };
    private static final double[] C = { LAT, 2.3382 };
    private static final double[] D = { 45.0, 5.0 };

    private final List<String> published = new ArrayList<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private final NearbyPusher pusher = new NearbyPusher(this::publish, retries, new PushLatency(), System::nanoTime,
            () -> 4, false);

    @AfterEach
    void stop() {
        retries.shutdownNow();
    }

    private CompletionStage<Void> publish(String id, List<NearbySharerEntry> sharers) {
        published.add(id);
        return CompletableFuture.completedFuture(null);
    }

    private NearbyMatcher fleet(int maxSharers, int maxContentIds) {
        NearbyMatcher m = new NearbyMatcher(new NearbyMatcher.Limits(300, maxSharers, maxContentIds), pusher);
        m.online("gw-a", A, "http://a.example/", null, 0);
        m.online("gw-b", B, "http://b.example/", null, 0);
        m.online("gw-c", C, "http://c.example/", null, 0);
        m.online("gw-d", D, "http://d.example/", null, 0);
        published.clear();
        return m;
    }

    private static List<String> ids(List<NearbySharerEntry> list) {
        return list.stream().map(NearbySharerEntry::deviceId).toList();
    }

    @Test
    void gatewaysWithinRangeAreEachOthersSharers() {
        NearbyMatcher m = fleet(20, 500);
        assertEquals(List.of("gw-b"), ids(m.listFor("gw-a")));
        assertEquals(List.of(), ids(m.listFor("gw-c")));
    }

    @Test
    void aCatalogChangeRepublishesOnlyTheNeighboursLists() {
        NearbyMatcher m = fleet(20, 500);
        m.catalog("gw-a", List.of("x"), 0);
        assertEquals(List.of("gw-b"), published);
    }

    @Test
    void aRangeChangeRebuildsTheGridAndPublishesOnlyChangedLists() {
        NearbyMatcher m = fleet(20, 500);
        m.reconfigure(new NearbyMatcher.Limits(1000, 20, 500), 0);
        assertEquals(List.of("gw-b", "gw-c"), ids(m.listFor("gw-a")));
        assertEquals(List.of("gw-a", "gw-b", "gw-c"), published.stream().sorted().toList(),
                "gw-d, alone either way, gets nothing new");
    }

    @Test
    void aListHoldsTheNearestSharersOnly() {
        NearbyMatcher m = fleet(1, 500);
        m.reconfigure(new NearbyMatcher.Limits(1000, 1, 500), 0);
        assertEquals(List.of("gw-b"), ids(m.listFor("gw-a")));
    }

    @Test
    void contentIdsAreCappedPerSharer() {
        NearbyMatcher m = fleet(20, 2);
        m.catalog("gw-b", List.of("1", "2", "3"), 0);
        assertEquals(List.of("1", "2"), m.listFor("gw-a").get(0).contentIds());
    }

    @Test
    void aGatewayThatLeavesDropsOutOfItsNeighboursLists() {
        NearbyMatcher m = fleet(20, 500);
        m.offline("gw-b", 0);
        assertEquals(List.of(), m.listFor("gw-a"));
        assertEquals(List.of("gw-a"), published);
    }
}
