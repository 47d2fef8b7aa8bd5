package io.edgeshare.ap.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real hostapd setup without a radio: namespace A holds the AP end of a veth pair ({@code driver=wired},
 * 802.1X with hostapd's own EAP server), namespace B the station end. The station authenticates with
 * {@code wpa_supplicant -D wired} and EAP-MD5 as {@value #USER}.
 */
final class WiredHostapd implements AutoCloseable {
    static final String USER = "gw-b";
    static final String PASSWORD = "station-secret";

    final NetworkNamespaces net = new NetworkNamespaces();
    final String nsA;
    final String nsB;
    final String ifA;
    final String ifB;
    final Path dir;

    WiredHostapd(Path dir) throws IOException {
        this.dir = dir;
        this.nsA = net.namespace("A");
        this.nsB = net.namespace("B");
        this.ifA = "vA" + net.tag;
        this.ifB = "vB" + net.tag;
        net.veth(nsA, ifA, "10.77.0.1/24", nsB, ifB, "10.77.0.2/24");
        Files.writeString(dir.resolve("eap_users"), "\"" + USER + "\"\tMD5\t\"" + PASSWORD + "\"\n");
    }

    /** The keys of an {@code edgeshare.ap} configuration for hostapd on namespace A's port. */
    Map<String, Object> apKeys() {
        Map<String, Object> k = new HashMap<>();
        k.put("backend", "hostapd");
        k.put("driver", "wired");
        k.put("interface.name", ifA);
        k.put("netns", nsA);
        k.put("ctrl.dir", dir.resolve("ctrl").toString());
        k.put("conf.dir", dir.toString());
        k.put("eap.user.file", dir.resolve("eap_users").toString());
        k.put("ssid", "EdgeShare test");
        return k;
    }

    /** Starts wpa_supplicant on namespace B's port; its control interface is {@link #stationCtrl()}. */
    Process startStation() throws IOException {
        Files.writeString(dir.resolve("wpa.conf"), "ctrl_interface=" + stationCtrl() + "\nap_scan=0\nnetwork={\n"
                + "  key_mgmt=IEEE8021X\n  eap=MD5\n  identity=\"" + USER + "\"\n  password=\"" + PASSWORD + "\"\n"
                + "  eapol_flags=0\n}\n");
        return net.start(nsB, dir.resolve("wpa_supplicant.log"), "wpa_supplicant", "-D", "wired", "-i", ifB, "-c",
                dir.resolve("wpa.conf").toString());
    }

    Path stationCtrl() {
        return dir.resolve("wctrl");
    }

    /** The station's MAC address (namespace B's port). */
    String stationMac() throws IOException {
        String out = net.exec(nsB, "cat", "/sys/class/net/" + ifB + "/address");
        return out.strip();
    }

    @Override
    public void close() {
        net.close();
    }
}
