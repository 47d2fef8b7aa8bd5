package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.GatewayBirth;
import io.edgeshare.api.fleet.GatewayReport;
import io.edgeshare.platform.store.internal.JdbcFleetStore;

/** The two ingest lanes against the real H2 store: reports never hold up what changes a neighbourhood. */
class FleetIngestTest {
    @TempDir
    Path dir;

    private JdbcFleetStore real;
    private FleetIngest ingest;
    /** Open while report writes are let through; the store's report write waits on it. */
    private final CountDownLatch reportsMayWrite = new CountDownLatch(1);
    private final CountDownLatch reportWriteStarted = new CountDownLatch(1);
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() {
        reportsMayWrite.countDown();
        retries.shutdownNow();
        if (ingest != null) {
            ingest.close();
        }
        if (real != null) {
            real.close();
        }
    }

    /** The real store, whose report writes take as long as the test wants (a database busy with reports). */
    private FleetStore slowReports() {
        real = FleetFixtures.store(dir);
        return (FleetStore) Proxy.newProxyInstance(FleetStore.class.getClassLoader(),
                new Class<?>[] { FleetStore.class }, (p, m, args) -> {
                    if (m.getName().equals("reports")) {
                        reportWriteStarted.countDown();
                        assertTrue(reportsMayWrite.await(30, TimeUnit.SECONDS));
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private FleetIngest ingest(FleetStore store) {
        NearbyPusher pusher = new NearbyPusher((id, list) -> CompletableFuture.completedFuture(null), retries,
                new PushLatency(), System::nanoTime, () -> 4, false);
        FleetIngest i = new FleetIngest(store, new NearbyMatcher(new NearbyMatcher.Limits(300, 20, 100), pusher),
                id -> {
                }, System::nanoTime);
        i.start();
        return i;
    }

    private static GatewayBirth birth(String id) {
        return new GatewayBirth(id, 1, Instant.now(), "m", "home-gateway", "1", new GeoLocation(48.86, 2.34),
                "http://" + id + ".example/", List.of());
    }

    @Test
    void aBirthIsStoredWhileAReportWriteIsStillGoing() throws Exception {
        ingest = ingest(slowReports());
        CountDownLatch reportDone = new CountDownLatch(1);
        CountDownLatch birthDone = new CountDownLatch(1);
        ingest.submit(new FleetIngest.Report(new GatewayReport("gw-a", Instant.now(), "{\"deviceId\":\"gw-a\"}"),
                System.nanoTime()), reportDone::countDown);
        assertTrue(reportWriteStarted.await(30, TimeUnit.SECONDS), "the report write started");
        ingest.submit(new FleetIngest.Birth(birth("gw-b"), "B", System.nanoTime()), birthDone::countDown);

        assertTrue(birthDone.await(30, TimeUnit.SECONDS), "the birth did not wait for the report");
        assertTrue(real.gateway("gw-b").isPresent());
        assertFalse(reportDone.await(0, TimeUnit.SECONDS), "the report is still being written");
        assertEquals(0, ingest.neighbourhoodChangesQueued());

        reportsMayWrite.countDown();
        assertTrue(reportDone.await(30, TimeUnit.SECONDS), "the report is acknowledged once it is stored");
        assertTrue(real.lastReport("gw-a").isPresent());
    }
}
