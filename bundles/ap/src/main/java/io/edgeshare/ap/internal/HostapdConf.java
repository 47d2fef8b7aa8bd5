package io.edgeshare.ap.internal;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Renders {@code hostapd.conf} from validated settings, following the hostapd 2.10 reference configuration:
 * the SSID as {@code ssid2} hex (any UTF-8, no escaping), {@code hw_mode} g/a by band, WPA2-PSK as
 * {@code wpa=2 wpa_key_mgmt=WPA-PSK rsn_pairwise=CCMP}, WPA3-SAE with management frame protection required
 * ({@code ieee80211w=2}), the transition mode with it optional ({@code ieee80211w=1}).
 */
final class HostapdConf {
    private HostapdConf() {
    }

    static String render(ApSettings s, SharingMarker marker, String ctrlDir) {
        StringBuilder b = new StringBuilder();
        b.append("# written by the EdgeShare ap bundle; edits are overwritten\n");
        line(b, "interface", s.interfaceName());
        line(b, "driver", s.driver());
        line(b, "ctrl_interface", ctrlDir);
        line(b, "ctrl_interface_group", "0");
        line(b, "ssid2", HexFormat.of().formatHex(s.broadcastSsid().getBytes(StandardCharsets.UTF_8)));
        line(b, "utf8_ssid", "1");
        line(b, "hw_mode", s.band().equals("5") ? "a" : "g");
        line(b, "channel", Integer.toString(s.channel()));
        if (!s.countryCode().isEmpty()) {
            line(b, "country_code", s.countryCode());
            line(b, "ieee80211d", "1");
        }
        line(b, "ignore_broadcast_ssid", s.hidden() ? "1" : "0");
        line(b, "max_num_sta", Integer.toString(s.maxStations()));
        line(b, "vendor_elements", marker.vendorElementHex());
        switch (s.security()) {
            case "wpa2-psk" -> {
                line(b, "wpa", "2");
                line(b, "wpa_key_mgmt", "WPA-PSK");
                line(b, "rsn_pairwise", "CCMP");
                line(b, "wpa_passphrase", s.passphrase());
            }
            case "wpa3-sae" -> {
                line(b, "wpa", "2");
                line(b, "wpa_key_mgmt", "SAE");
                line(b, "rsn_pairwise", "CCMP");
                line(b, "ieee80211w", "2");
                // not sae_password: hostapd reads "|mac=" / "|id=" options out of that value
                line(b, "wpa_passphrase", s.passphrase());
            }
            case "wpa2-wpa3" -> {
                line(b, "wpa", "2");
                line(b, "wpa_key_mgmt", "WPA-PSK SAE");
                line(b, "rsn_pairwise", "CCMP");
                line(b, "ieee80211w", "1");
                line(b, "wpa_passphrase", s.passphrase());
            }
            default -> line(b, "wpa", "0");
        }
        if (!s.eapUserFile().isEmpty()) {
            // 802.1X with hostapd's own EAP server (a wired port, or an enterprise SSID without RADIUS)
            line(b, "ieee8021x", "1");
            line(b, "eap_server", "1");
            line(b, "eap_user_file", s.eapUserFile());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(key + ": a value cannot span lines");
        }
        b.append(key).append('=').append(value).append('\n');
    }
}
