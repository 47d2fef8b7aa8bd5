package io.edgeshare.ap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.edgeshare.ap.internal.Radio.RadioSighting;

class SharingMarkerTest {

    @Test
    void markerSurvivesOtherElementsAround() {
        SharingMarker m = new SharingMarker("gw-louvre", 17);
        byte[] ies = HexFormat.of().parseHex("0004" + "74657374" + "dd0411223301" + m.vendorElementHex() + "3001aa");
        assertEquals(m, SharingMarker.fromInformationElements(ies).orElseThrow());
    }

    @Test
    void otherVendorsElementIsNotOurs() {
        assertTrue(SharingMarker.fromInformationElements(HexFormat.of().parseHex("dd0411223301")).isEmpty());
    }

    @Test
    void truncatedElementIsIgnored() {
        String hex = new SharingMarker("gw-a", 1).vendorElementHex();
        assertTrue(SharingMarker.fromInformationElements(HexFormat.of().parseHex(hex.substring(0, 12))).isEmpty());
    }

    @Test
    void deviceIdBreakingTheIdRuleIsNotAccepted() {
        byte[] data = "v=1;id=gw a;rev=1".getBytes(StandardCharsets.US_ASCII);
        byte[] ie = new byte[6 + data.length];
        ie[0] = (byte) 0xdd;
        ie[1] = (byte) (4 + data.length);
        System.arraycopy(SharingMarker.OUI, 0, ie, 2, 3);
        ie[5] = SharingMarker.TYPE;
        System.arraycopy(data, 0, ie, 6, data.length);
        assertTrue(SharingMarker.fromInformationElements(ie).isEmpty());
    }

    /** What {@code iw dev wlan1 scan} prints for two networks: ours with the element, one with the suffix. */
    @Test
    void iwScanOutputFindsMarkerAndSuffix() {
        String data = spaced(new SharingMarker("gw-rivoli", 9).vendorElementHex().substring(10));
        String scan = "BSS 02:11:22:33:44:55(on wlan1)\n\tfreq: 2437\n\tsignal: -52.00 dBm\n\tSSID: Rivoli\n"
                + "\tVendor specific: OUI 02:45:53, data: " + data + "\n"
                + "BSS 02:11:22:33:44:66(on wlan1)\n\tsignal: -80.00 dBm\n\tSSID: Kiosk~es\n"
                + "BSS 02:11:22:33:44:77(on wlan1)\n\tSSID: Neighbour\n";
        assertEquals(List.of(new RadioSighting("gw-rivoli", "Rivoli", 9, -52), new RadioSighting("", "Kiosk~es", -1, -80)),
                WirelessScan.parse(scan));
    }

    @Test
    void suffixKeepsSsidWithin32Bytes() {
        String s = SharingMarker.withSuffix("é".repeat(16));
        assertTrue(s.getBytes(StandardCharsets.UTF_8).length <= 32);
        assertTrue(SharingMarker.hasSuffix(s));
    }

    private static String spaced(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            b.append(i == 0 ? "" : " ").append(hex, i, i + 2);
        }
        return b.toString();
    }
}
