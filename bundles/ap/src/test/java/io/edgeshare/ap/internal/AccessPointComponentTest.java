package io.edgeshare.ap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.edgeshare.api.ap.AccessPointEvents;
import io.edgeshare.api.ap.AccessPointStatus;
import io.edgeshare.api.ap.Station;

/** The component: configuration applied in place, failures reported with their generation, admission, events. */
class AccessPointComponentTest {
    @TempDir
    Path dir;
    private AccessPointComponent ap;
    private WiredHostapd wired;
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        if (ap != null) {
            ap.deactivate();
        }
        if (wired != null) {
            wired.close();
        }
    }

    private AccessPointComponent start(Map<String, Object> keys, long generation) {
        ap = new AccessPointComponent(dir, Clock.systemDefaultZone(), TestConfigs.ap(keys),
                TestConfigs.identity("gw-a"), Map.of(AccessPointComponent.GENERATION_KEY, generation));
        ap.eventAdmin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        };
        return ap;
    }

    private void modify(Map<String, Object> keys, long generation) {
        ap.modified(TestConfigs.ap(keys), TestConfigs.identity("gw-a"),
                Map.of(AccessPointComponent.GENERATION_KEY, generation));
    }

    private boolean applied(long generation) {
        return ap.status().appliedGeneration() == generation;
    }

    @Test
    void withoutBackendTheApReportsWhyItIsOff() throws Exception {
        start(Map.of(), 3);
        assertTrue(Deadline.await(Duration.ofSeconds(5), () -> ap.status().failedGeneration() == 3));
        AccessPointStatus st = ap.status();
        assertEquals(AccessPointStatus.FAILED, st.state());
        assertTrue(st.failure().contains("no backend configured"), st.failure());
    }

    @Test
    void invalidValueIsReportedAndThePreviousSetupStays() throws Exception {
        start(Map.of("backend", "simulated", "ssid", "First"), 1);
        assertTrue(Deadline.await(Duration.ofSeconds(5), () -> applied(1)));
        modify(Map.of("backend", "simulated", "ssid", "First", "security", "wpa2-psk", "passphrase", "short"), 2);
        AccessPointStatus st = ap.status();
        assertEquals(2, st.failedGeneration());
        assertEquals(1, st.appliedGeneration());
        assertEquals("First", st.ssid());
        assertTrue(st.failure().startsWith("invalid configuration: passphrase"), st.failure());
    }

    @Test
    void simulatedStationsComeAndGoAndEventsSayIt() throws Exception {
        start(Map.of("backend", "simulated", "poll.ms", 100L), 1);
        assertTrue(Deadline.await(Duration.ofSeconds(30), () -> topics().contains(AccessPointEvents.STATION_JOINED)
                && topics().contains(AccessPointEvents.STATION_LEFT)), "events: " + topics());
        assertTrue(topics().contains(AccessPointEvents.AP_UP));
    }

    @Test
    void simulatedStationsBeyondMaxAreTurnedAway() throws Exception {
        start(Map.of("backend", "simulated", "poll.ms", 100L, "max.stations", 1), 1);
        assertTrue(Deadline.await(Duration.ofSeconds(60), () -> ap.snapshot().metrics().get("admissions.refused")
                .longValue() > 0));
        assertTrue(ap.stations().size() <= 1);
    }

    @Test
    void disabledApIsDownAndSaysSo() throws Exception {
        start(Map.of("backend", "simulated", "poll.ms", 100L), 1);
        assertTrue(Deadline.await(Duration.ofSeconds(5), () -> AccessPointStatus.UP.equals(ap.status().state())));
        modify(Map.of("backend", "simulated", "poll.ms", 100L, "enabled", false), 2);
        assertTrue(Deadline.await(Duration.ofSeconds(5), () -> AccessPointStatus.DOWN.equals(ap.status().state())));
        assertTrue(Deadline.await(Duration.ofSeconds(5), () -> topics().contains(AccessPointEvents.AP_DOWN)));
    }

    // ---- against the real hostapd (root, network namespaces) ----

    private Map<String, Object> hostapdKeys(Map<String, Object> extra) throws Exception {
        Optional<String> why = NetworkNamespaces.unavailable();
        assumeTrue(why.isEmpty(), () -> "needs root and network namespaces: " + why.get());
        if (wired == null) {
            wired = new WiredHostapd(dir);
        }
        Map<String, Object> k = new HashMap<>(wired.apKeys());
        k.put("poll.ms", 200L);
        k.putAll(extra);
        return k;
    }

    @Test
    void hostapdChangeThatFailsKeepsThePreviousSetupAndReportsTheGeneration() throws Exception {
        start(hostapdKeys(Map.of("ssid", "Before")), 4);
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> applied(4)), ap.status().toString());
        modify(hostapdKeys(Map.of("ssid", "After", "eap.user.file", dir.resolve("missing").toString())), 5);
        assertTrue(Deadline.await(Duration.ofSeconds(30), () -> ap.status().failedGeneration() == 5));
        AccessPointStatus st = ap.status();
        assertEquals(4, st.appliedGeneration());
        assertEquals("Before", st.ssid());
        assertTrue(Deadline.await(Duration.ofSeconds(5), () -> AccessPointStatus.UP.equals(ap.status().state())));
    }

    @Test
    void hostapdAppliesAnSsidChangeInPlace() throws Exception {
        start(hostapdKeys(Map.of("ssid", "Before")), 4);
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> applied(4)));
        modify(hostapdKeys(Map.of("ssid", "After")), 5);
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> applied(5)), ap.status().toString());
        assertEquals("After", ap.status().ssid());
    }

    @Test
    void deniedStationIsTurnedAwayAndCounted() throws Exception {
        start(hostapdKeys(Map.of()), 1);
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> applied(1)));
        wired.startStation();
        String mac = wired.stationMac();
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> macs().contains(mac)), "station never admitted");
        assertTrue(events.stream().anyMatch(e -> e.getTopic().equals(AccessPointEvents.STATION_JOINED)
                && mac.equals(e.getProperty(AccessPointEvents.MAC))));
        modify(hostapdKeys(Map.of("deny.list", new String[] { mac })), 2);
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> ap.snapshot().metrics().get("admissions.refused")
                .longValue() > 0 && !macs().contains(mac)));
    }

    @Test
    void operatorDisconnectsAStation() throws Exception {
        start(hostapdKeys(Map.of()), 1);
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> applied(1)));
        wired.startStation();
        String mac = wired.stationMac();
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> macs().contains(mac)));
        assertTrue(ap.disconnect(mac.toUpperCase()));
        assertTrue(events.stream().anyMatch(e -> e.getTopic().equals(AccessPointEvents.STATION_LEFT)
                && "operator".equals(e.getProperty(AccessPointEvents.REASON))));
    }

    private List<String> macs() {
        return ap.stations().stream().map(Station::mac).toList();
    }

    private List<String> topics() {
        return events.stream().map(Event::getTopic).toList();
    }
}
