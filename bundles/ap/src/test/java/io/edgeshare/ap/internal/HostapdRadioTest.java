package io.edgeshare.ap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.edgeshare.api.ap.Station;

/**
 * The hostapd backend against the real hostapd 2.10 (driver wired on a veth, in network namespaces: needs
 * root; skipped with the reason printed where that is unavailable, never on CI which runs as root).
 */
class HostapdRadioTest {
    private static Optional<String> unavailable;

    @TempDir
    Path dir;
    private WiredHostapd setup;
    private HostapdRadio radio;
    private int events;

    @BeforeAll
    static void check() {
        unavailable = NetworkNamespaces.unavailable();
        unavailable.ifPresent(r -> System.err.println("HostapdRadioTest skipped: " + r));
    }

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(unavailable.isEmpty(), () -> unavailable.get());
        setup = new WiredHostapd(dir);
        radio = new HostapdRadio(dir, () -> events++);
    }

    @AfterEach
    void tearDown() {
        if (radio != null) {
            radio.close();
        }
        if (setup != null) {
            setup.close();
        }
    }

    private ApSettings settings(Map<String, Object> extra) {
        Map<String, Object> k = setup.apKeys();
        k.putAll(extra);
        return TestConfigs.settings(k);
    }

    private Map<String, String> status(ApSettings s) throws Exception {
        return new HostapdControl(s.ctrlDir(), s.interfaceName()).status();
    }

    /** Each security mode's generated file (WPA lines, vendor element, hidden SSID...) is accepted by hostapd. */
    @ParameterizedTest
    @ValueSource(strings = { "open", "wpa2-psk", "wpa3-sae", "wpa2-wpa3" })
    void generatedConfigurationServesOnRealHostapd(String security) throws Exception {
        ApSettings s = settings(Map.of("security", security, "passphrase", "correct horse", "hidden", true,
                "max.stations", 64, "ssid", "Café partagé"));
        radio.apply(s, new SharingMarker("gw-a", 7));
        Map<String, String> st = status(s);
        assertEquals("ENABLED", st.get("state"));
        assertEquals("Café partagé", HostapdControl.ssidText(st.get("ssid[0]")));
    }

    @Test
    void disableAndEnableThroughTheControlInterface() throws Exception {
        ApSettings s = settings(Map.of());
        radio.apply(s, new SharingMarker("gw-a", 1));
        radio.down();
        assertEquals("DISABLED", status(s).get("state"));
        assertFalse(radio.isUp());
        radio.up();
        assertEquals("ENABLED", status(s).get("state"));
        assertTrue(radio.isUp());
    }

    @Test
    void stationIsListedAfterAuthenticating() throws Exception {
        radio.apply(settings(Map.of()), new SharingMarker("gw-a", 1));
        setup.startStation();
        String mac = setup.stationMac();
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> has(mac)), "station " + mac + " never listed");
    }

    @Test
    void deauthenticateRemovesTheStation() throws Exception {
        radio.apply(settings(Map.of()), new SharingMarker("gw-a", 1));
        setup.startStation();
        String mac = setup.stationMac();
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> has(mac)));
        assertTrue(radio.deauthenticate(mac));
        assertFalse(has(mac), "still associated right after DEAUTHENTICATE");
        assertFalse(radio.deauthenticate("02:00:00:00:00:99"), "an unknown station cannot be disconnected");
    }

    @Test
    void hostapdEventsAreFollowed() throws Exception {
        ApSettings s = settings(Map.of());
        radio.apply(s, new SharingMarker("gw-a", 1));
        int before = events;
        radio.down();
        assertTrue(Deadline.await(Duration.ofSeconds(10), () -> events > before), "no AP-DISABLED event seen");
    }

    @Test
    void ssidChangeIsReloadedInPlace() throws Exception {
        radio.apply(settings(Map.of("ssid", "Before")), new SharingMarker("gw-a", 1));
        long pid = hostapdPid();
        ApSettings after = settings(Map.of("ssid", "After"));
        radio.apply(after, new SharingMarker("gw-a", 1));
        assertEquals("After", status(after).get("ssid[0]"));
        assertEquals(pid, hostapdPid(), "hostapd was restarted instead of reloaded");
    }

    /** A new catalog revision reaches the beacon's element without restarting hostapd or dropping a station. */
    @Test
    void newCatalogRevisionIsSetWithoutRestart() throws Exception {
        ApSettings s = settings(Map.of());
        radio.apply(s, new SharingMarker("gw-a", 1));
        setup.startStation();
        String mac = setup.stationMac();
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> has(mac)));
        long pid = hostapdPid();
        radio.refreshMarker(new SharingMarker("gw-a", 2));
        assertTrue(java.nio.file.Files.readString(radio.confFile())
                .contains("vendor_elements=" + new SharingMarker("gw-a", 2).vendorElementHex()));
        assertEquals(pid, hostapdPid());
        assertTrue(has(mac), "the station was dropped");
    }

    /** hostapd cannot read the new file (its EAP user file is missing): the old SSID keeps serving. */
    @Test
    void refusedChangeLeavesThePreviousSetupServing() throws Exception {
        ApSettings good = settings(Map.of("ssid", "Before"));
        radio.apply(good, new SharingMarker("gw-a", 1));
        ApSettings bad = settings(Map.of("ssid", "After", "eap.user.file", dir.resolve("missing").toString()));
        RadioException e = assertThrows(RadioException.class, () -> radio.apply(bad, new SharingMarker("gw-a", 1)));
        assertFalse(e.getMessage().isEmpty());
        Map<String, String> st = status(good);
        assertEquals("ENABLED", st.get("state"));
        assertEquals("Before", st.get("ssid[0]"));
    }

    /** A change that needs a new hostapd (another interface) and fails starts the previous one again. */
    @Test
    void failedRestartBringsThePreviousHostapdBack() throws Exception {
        ApSettings good = settings(Map.of("ssid", "Before"));
        radio.apply(good, new SharingMarker("gw-a", 1));
        ApSettings bad = settings(Map.of("interface.name", "nosuch0"));
        assertThrows(RadioException.class, () -> radio.apply(bad, new SharingMarker("gw-a", 1)));
        assertTrue(Deadline.await(Duration.ofSeconds(10), () -> radio.isUp()));
        assertEquals("Before", status(good).get("ssid[0]"));
    }

    private long hostapdPid() throws Exception {
        return Long.parseLong(NetworkNamespaces.run("ip", "netns", "pids", setup.nsA).strip());
    }

    private boolean has(String mac) {
        try {
            return radio.stations().stream().map(Station::mac).anyMatch(mac::equals);
        } catch (RadioException e) {
            return false;
        }
    }
}
