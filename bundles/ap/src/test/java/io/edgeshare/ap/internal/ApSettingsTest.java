package io.edgeshare.ap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The limits hostapd's reference documents, enforced before anything reaches hostapd. */
class ApSettingsTest {

    private static String refusal(Map<String, Object> keys) {
        return assertThrows(IllegalArgumentException.class, () -> TestConfigs.settings(keys)).getMessage();
    }

    @Test
    void ssidLongerThan32BytesIsRefused() {
        assertTrue(refusal(Map.of("ssid", "é".repeat(17))).startsWith("ssid:"));
        assertEquals(16, TestConfigs.settings(Map.of("ssid", "é".repeat(16))).ssid().length());
    }

    @Test
    void emptySsidIsRefused() {
        assertTrue(refusal(Map.of("ssid", "")).startsWith("ssid:"));
    }

    @Test
    void passphraseOutsideEightTo63PrintableIsRefusedWithoutEchoingIt() {
        String message = refusal(Map.of("security", "wpa2-psk", "passphrase", "short"));
        assertTrue(message.startsWith("passphrase:"));
        assertFalse(message.contains("short"));
        assertTrue(refusal(Map.of("security", "wpa2-psk", "passphrase", "x".repeat(64))).startsWith("passphrase:"));
        assertTrue(refusal(Map.of("security", "wpa3-sae", "passphrase", "new\nline:ok")).startsWith("passphrase:"));
    }

    @Test
    void openNeedsNoPassphrase() {
        assertEquals("open", TestConfigs.settings(Map.of("security", "open")).security());
    }

    @Test
    void channelMustBelongToTheBand() {
        assertTrue(refusal(Map.of("band", "2.4", "channel", 36)).startsWith("channel:"));
        assertTrue(refusal(Map.of("band", "5", "channel", 6)).startsWith("channel:"));
        assertTrue(refusal(Map.of("band", "6", "channel", 1)).startsWith("band:"));
    }

    @Test
    void maxStationsStaysWithinTheAssociationIdLimit() {
        assertTrue(refusal(Map.of("max.stations", 2008)).startsWith("max.stations:"));
        assertTrue(refusal(Map.of("max.stations", 0)).startsWith("max.stations:"));
    }

    @Test
    void unknownBackendIsRefused() {
        assertTrue(refusal(Map.of("backend", "nl80211")).startsWith("backend:"));
    }

    @Test
    void denyListNeedsMacAddresses() {
        assertTrue(refusal(Map.of("deny.list", new String[] { "phone" })).startsWith("deny.list:"));
        assertEquals(java.util.Set.of("02:00:00:00:00:01"),
                TestConfigs.settings(Map.of("deny.list", new String[] { "02:00:00:00:00:01" })).denyList());
    }

    @Test
    void toStringNeverShowsThePassphrase() {
        ApSettings s = TestConfigs.settings(Map.of("security", "wpa2-psk", "passphrase", "correct horse"));
        assertFalse(s.toString().contains("correct horse"));
    }

    @Test
    void admissionOnlyChangeKeepsTheSameRadio() {
        ApSettings a = TestConfigs.settings(Map.of("backend", "simulated"));
        ApSettings b = TestConfigs.settings(Map.of("backend", "simulated", "deny.list",
                new String[] { "02:00:00:00:00:01" }, "on.hours", new String[] { "08:00-22:00" }));
        assertTrue(a.sameRadio(b));
        assertFalse(a.sameRadio(TestConfigs.settings(Map.of("backend", "simulated", "ssid", "Other"))));
    }
}
