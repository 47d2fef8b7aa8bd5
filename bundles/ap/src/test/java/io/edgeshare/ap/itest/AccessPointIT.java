package io.edgeshare.ap.itest;

import static io.edgeshare.testsupport.EdgeShareOptions.accessPoint;
import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import io.edgeshare.api.ap.AccessPoint;
import io.edgeshare.api.ap.AccessPointEvents;
import io.edgeshare.api.ap.AccessPointStatus;
import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.api.telemetry.TelemetrySource;

/**
 * The ap bundle in Felix with the real Event Admin and ConfigAdmin (simulated backend): events reach an
 * EventHandler, telemetry is registered, and the best-ranked NearbySharers a consumer gets is the merged one,
 * which includes what the platform's list (registered as the uplink registers it) says.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AccessPointIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return options(core(), ourBundle("api"), accessPoint());
    }

    @Before
    public void configure() throws Exception {
        update("edgeshare.identity", "device.id", "gw-it", "display.name", "IT gateway");
        update("edgeshare.ap", "backend", "simulated", "poll.ms", 100L, "mdns.enabled", false, "ssid", "IT share");
    }

    @Test
    public void stationEventsReachAnEventHandler() throws Exception {
        assertAllBundlesActive(context);
        List<Event> events = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(EventConstants.EVENT_TOPIC, "edgeshare/ap/*");
        ServiceRegistration<EventHandler> reg = context.registerService(EventHandler.class, events::add, p);
        try {
            await(() -> events.stream().anyMatch(e -> e.getTopic().equals(AccessPointEvents.STATION_JOINED)),
                    "a STATION_JOINED event");
        } finally {
            reg.unregister();
        }
        AccessPointStatus st = service(AccessPoint.class).status();
        assertEquals("simulated", st.backend());
        assertEquals("IT share", st.ssid());
    }

    @Test
    public void apTelemetryIsRegistered() throws Exception {
        TelemetrySource t = service(TelemetrySource.class);
        assertEquals("ap", t.name());
        await(() -> t.snapshot().metrics().get("up").intValue() == 1, "the AP up in telemetry");
    }

    @Test
    public void consumersGetTheMergedNearbyList() throws Exception {
        NearbySharers pushed = () -> List.of(new NearbySharer("gw-platform", "EdgeShare-P", "http://192.0.2.1:8081",
                120, List.of("c1")));
        ServiceRegistration<NearbySharers> reg = context.registerService(NearbySharers.class, pushed, null);
        try {
            ServiceReference<NearbySharers> best = context.getServiceReference(NearbySharers.class);
            assertEquals("merged", best.getProperty("edgeshare.nearby"));
            NearbySharers merged = context.getService(best);
            await(() -> merged.sharers().stream().anyMatch(s -> s.deviceId().equals("sim-cafe")),
                    "the simulated radio's sharer in the merged list");
            NearbySharer p = merged.sharers().stream().filter(s -> s.deviceId().equals("gw-platform")).findFirst()
                    .orElseThrow();
            assertEquals(Set.of(NearbySharer.SOURCE_PLATFORM), p.sources());
            assertEquals("gw-platform", merged.sharers().get(0).deviceId());
            assertTrue(merged.sharers().stream().filter(s -> s.deviceId().equals("sim-cafe")).findFirst()
                    .orElseThrow().sources().contains(NearbySharer.SOURCE_RADIO));
        } finally {
            reg.unregister();
        }
    }

    private void update(String pid, Object... kv) throws Exception {
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        configAdmin.getConfiguration(pid, "?").update(d);
    }

    private <T> T service(Class<T> type) throws Exception {
        org.osgi.util.tracker.ServiceTracker<T, T> tracker = new org.osgi.util.tracker.ServiceTracker<>(context, type,
                null);
        tracker.open();
        T s = tracker.waitForService(10_000);
        assertTrue("no " + type.getName(), s != null);
        return s;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue("timed out waiting for " + what, System.nanoTime() < end);
            Object lock = new Object();
            synchronized (lock) {
                lock.wait(20);
            }
        }
    }
}
