package io.edgeshare.ap.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One validated {@code edgeshare.ap} configuration, parsed once. {@link #sameRadio} tells whether a change
 * touches the radio (hostapd reload) or only admission rules (applied in place, nobody dropped).
 */
record ApSettings(boolean enabled, String backend, String ssid, String security, String passphrase, String band,
        int channel, boolean hidden, int maxStations, OnHours hours, Set<String> denyList, boolean ssidSuffix,
        String countryCode, String interfaceName, String driver, String eapUserFile, String netns, String confDir,
        String ctrlDir, String scanInterface, long pollMs, long generation) {

    static final String HOSTAPD = "hostapd";
    static final String SIMULATED = "simulated";
    static final Set<String> SECURITIES = Set.of("open", "wpa2-psk", "wpa3-sae", "wpa2-wpa3");
    /** 5 GHz channels hostapd accepts with {@code hw_mode=a} (20 MHz centre channels, UNII-1 to UNII-3). */
    static final Set<Integer> CHANNELS_5GHZ = Set.of(36, 40, 44, 48, 52, 56, 60, 64, 100, 104, 108, 112, 116, 120,
            124, 128, 132, 136, 140, 144, 149, 153, 157, 161, 165);
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    ApSettings {
        denyList = Set.copyOf(denyList);
    }

    /** @throws IllegalArgumentException naming the key; the message never contains the passphrase */
    static ApSettings of(ApConfig c, long generation) {
        String backend = c.backend().trim();
        if (!backend.isEmpty() && !backend.equals(HOSTAPD) && !backend.equals(SIMULATED)) {
            throw new IllegalArgumentException("backend: '" + backend + "' is neither hostapd nor simulated");
        }
        int ssidBytes = c.ssid().getBytes(StandardCharsets.UTF_8).length;
        if (ssidBytes < 1 || ssidBytes > 32) {
            throw new IllegalArgumentException("ssid: must be 1 to 32 bytes of UTF-8, got " + ssidBytes);
        }
        String security = c.security().trim().toLowerCase(Locale.ROOT);
        if (!SECURITIES.contains(security)) {
            throw new IllegalArgumentException("security: '" + security + "' is not one of " + SECURITIES);
        }
        if (!security.equals("open") && !validPassphrase(c.passphrase())) {
            throw new IllegalArgumentException("passphrase: " + security + " needs 8 to 63 printable ASCII characters");
        }
        String band = c.band().trim();
        if (band.equals("2.4")) {
            if (c.channel() < 1 || c.channel() > 14) {
                throw new IllegalArgumentException("channel: 2.4 GHz channels are 1 to 14, got " + c.channel());
            }
        } else if (band.equals("5")) {
            if (!CHANNELS_5GHZ.contains(c.channel())) {
                throw new IllegalArgumentException("channel: " + c.channel() + " is not a 5 GHz channel");
            }
        } else {
            throw new IllegalArgumentException("band: '" + band + "' is neither 2.4 nor 5");
        }
        if (c.max_stations() < 1 || c.max_stations() > 2007) {
            throw new IllegalArgumentException("max.stations: must be 1 to 2007, got " + c.max_stations());
        }
        String country = c.country_code().trim().toUpperCase(Locale.ROOT);
        if (!country.isEmpty() && !country.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("country.code: '" + country + "' is not two letters");
        }
        if (!NAME.matcher(c.interface_name()).matches() || !NAME.matcher(c.driver()).matches()) {
            throw new IllegalArgumentException("interface.name / driver: letters, digits, '.', '_', '-' only");
        }
        if (!c.scan_interface().isEmpty() && !NAME.matcher(c.scan_interface()).matches()) {
            throw new IllegalArgumentException("scan.interface: letters, digits, '.', '_', '-' only");
        }
        if (!c.netns().isEmpty() && !NAME.matcher(c.netns()).matches()) {
            throw new IllegalArgumentException("netns: letters, digits, '.', '_', '-' only");
        }
        if (c.eap_user_file().contains("\n") || c.conf_dir().contains("\n") || c.ctrl_dir().contains("\n")) {
            throw new IllegalArgumentException("eap.user.file / conf.dir / ctrl.dir: one line");
        }
        Set<String> deny = new java.util.HashSet<>();
        for (String m : c.deny_list()) {
            String mac = m.trim().toLowerCase(Locale.ROOT);
            if (!MAC.matcher(mac).matches()) {
                throw new IllegalArgumentException("deny.list: '" + m + "' is not a MAC address");
            }
            deny.add(mac);
        }
        return new ApSettings(c.enabled(), backend, c.ssid(), security, c.passphrase(), band, c.channel(),
                c.hidden(), c.max_stations(), OnHours.parse(c.on_hours()), deny, c.ssid_suffix(), country,
                c.interface_name(), c.driver(), c.eap_user_file(), c.netns(), c.conf_dir(), c.ctrl_dir(), c.scan_interface(),
                Math.max(100, c.poll_ms()), generation);
    }

    static boolean validPassphrase(String p) {
        return p.length() >= 8 && p.length() <= 63 && p.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e);
    }

    /** Whether two settings give the same radio (same hostapd.conf); admission rules may differ. */
    boolean sameRadio(ApSettings o) {
        return o != null && backend.equals(o.backend) && ssid.equals(o.ssid) && security.equals(o.security)
                && passphrase.equals(o.passphrase) && band.equals(o.band) && channel == o.channel
                && hidden == o.hidden && maxStations == o.maxStations && ssidSuffix == o.ssidSuffix
                && countryCode.equals(o.countryCode) && interfaceName.equals(o.interfaceName)
                && driver.equals(o.driver) && eapUserFile.equals(o.eapUserFile) && netns.equals(o.netns)
                && confDir.equals(o.confDir) && ctrlDir.equals(o.ctrlDir) && scanInterface.equals(o.scanInterface);
    }

    /** The SSID on the air: with the fallback marker when {@code ssid.suffix} is on. */
    String broadcastSsid() {
        return ssidSuffix ? SharingMarker.withSuffix(ssid) : ssid;
    }

    @Override
    public String toString() {
        // the passphrase never reaches a log line
        return "ApSettings[backend=" + backend + ", enabled=" + enabled + ", ssid=" + ssid + ", security=" + security
                + ", band=" + band + ", channel=" + channel + ", hidden=" + hidden + ", maxStations=" + maxStations
                + ", deny=" + denyList.size() + ", generation=" + generation + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApSettings s && sameRadio(s) && enabled == s.enabled && hours.equals(s.hours)
                && denyList.equals(s.denyList) && pollMs == s.pollMs && generation == s.generation;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] { ssid, channel, generation });
    }
}
