package io.edgeshare.ap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The nl80211-only lines of the generated hostapd.conf, checked against the rules of hostapd 2.10's reference
 * configuration (/usr/share/doc/hostapd/examples/hostapd.conf); the wired driver in HostapdRadioTest cannot
 * exercise them on air.
 */
class HostapdConfTest {

    private static Map<String, String> render(Map<String, Object> keys) {
        Map<String, Object> k = new HashMap<>(Map.of("backend", "hostapd"));
        k.putAll(keys);
        String text = HostapdConf.render(TestConfigs.settings(k), new SharingMarker("gw-a", 42), "/run/x");
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                String prev = m.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                assertEquals(null, prev, "key written twice: " + line);
            }
        }
        return m;
    }

    /** "ssid2 ... hex string" + "utf8_ssid=1": any UTF-8 SSID without escaping. */
    @Test
    void ssidIsHexOfItsUtf8Bytes() {
        Map<String, String> c = render(Map.of("ssid", "Café \"free\"\\"));
        assertEquals("Café \"free\"\\", new String(HexFormat.of().parseHex(c.get("ssid2")), StandardCharsets.UTF_8));
        assertEquals("1", c.get("utf8_ssid"));
        assertFalse(c.containsKey("ssid"));
    }

    /** "hw_mode=a" for 5 GHz, "g" for 2.4 GHz, with the channel number. */
    @Test
    void bandChoosesHwMode() {
        assertEquals("g", render(Map.of("band", "2.4", "channel", 11)).get("hw_mode"));
        Map<String, String> five = render(Map.of("band", "5", "channel", 36));
        assertEquals("a", five.get("hw_mode"));
        assertEquals("36", five.get("channel"));
    }

    @Test
    void wpa2PersonalUsesPskWithCcmp() {
        Map<String, String> c = render(Map.of("security", "wpa2-psk", "passphrase", "correct horse"));
        assertEquals("2", c.get("wpa"));
        assertEquals("WPA-PSK", c.get("wpa_key_mgmt"));
        assertEquals("CCMP", c.get("rsn_pairwise"));
        assertEquals("correct horse", c.get("wpa_passphrase"));
        assertFalse(c.containsKey("ieee80211w"));
    }

    /** WPA3-SAE requires management frame protection (ieee80211w=2). */
    @Test
    void wpa3RequiresProtectedManagementFrames() {
        Map<String, String> c = render(Map.of("security", "wpa3-sae", "passphrase", "correct horse"));
        assertEquals("SAE", c.get("wpa_key_mgmt"));
        assertEquals("2", c.get("ieee80211w"));
    }

    /** Transition mode: both key managements, protection optional so WPA2-only phones still join. */
    @Test
    void transitionModeOffersBoth() {
        Map<String, String> c = render(Map.of("security", "wpa2-wpa3", "passphrase", "correct horse"));
        assertEquals("WPA-PSK SAE", c.get("wpa_key_mgmt"));
        assertEquals("1", c.get("ieee80211w"));
    }

    /** sae_password would read "|mac=" out of the passphrase; wpa_passphrase keeps it whole. */
    @Test
    void passphraseWithBarStaysWhole() {
        Map<String, String> c = render(Map.of("security", "wpa3-sae", "passphrase", "a|mac=ff:ff:ff:ff:ff:ff"));
        assertEquals("a|mac=ff:ff:ff:ff:ff:ff", c.get("wpa_passphrase"));
        assertFalse(c.containsKey("sae_password"));
    }

    @Test
    void openNetworkHasNoWpa() {
        Map<String, String> c = render(Map.of("security", "open"));
        assertEquals("0", c.get("wpa"));
        assertFalse(c.containsKey("wpa_passphrase"));
    }

    @Test
    void hiddenSsidIsLeftOutOfBeacons() {
        assertEquals("1", render(Map.of("hidden", true)).get("ignore_broadcast_ssid"));
        assertEquals("0", render(Map.of("hidden", false)).get("ignore_broadcast_ssid"));
    }

    @Test
    void countryCodeEnablesIeee80211d() {
        Map<String, String> c = render(Map.of("country.code", "fr"));
        assertEquals("FR", c.get("country_code"));
        assertEquals("1", c.get("ieee80211d"));
        assertFalse(render(Map.of()).containsKey("country_code"));
    }

    /** "a hexdump of the raw information elements (id+len+payload)": dd, then the length of the rest. */
    @Test
    void vendorElementIsIdLengthPayload() {
        byte[] ie = HexFormat.of().parseHex(render(Map.of()).get("vendor_elements"));
        assertEquals((byte) 0xdd, ie[0]);
        assertEquals(ie.length - 2, ie[1] & 0xff);
        assertEquals(new SharingMarker("gw-a", 42), SharingMarker.fromInformationElements(ie).orElseThrow());
    }

    @Test
    void maxStationsIsWritten() {
        assertEquals("2007", render(Map.of("max.stations", 2007)).get("max_num_sta"));
    }

    @Test
    void ssidSuffixFallbackMarksTheBroadcastName() {
        String ssid = new String(HexFormat.of().parseHex(render(Map.of("ssid", "Mall", "ssid.suffix", true))
                .get("ssid2")), StandardCharsets.UTF_8);
        assertEquals("Mall" + SharingMarker.SSID_SUFFIX, ssid);
        assertTrue(SharingMarker.hasSuffix(ssid));
    }
}
