package io.edgeshare.ap.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * PID {@value #PID}. The policy bundle writes {@code ssid}, {@code security}, {@code passphrase},
 * {@code max.stations} and {@code on.hours} (docs/policy.md); the rest comes from the profile in {@code etc/}.
 */
@ObjectClassDefinition(pid = ApConfig.PID, name = "EdgeShare access point")
public @interface ApConfig {
    String PID = "edgeshare.ap";

    @AttributeDefinition(description = "hostapd (a Linux radio) or simulated (the demo); empty: no AP, said loudly")
    String backend() default "";

    @AttributeDefinition(description = "false switches the sharing hotspot off")
    boolean enabled() default true;

    String ssid() default "EdgeShare";

    @AttributeDefinition(description = "open, wpa2-psk, wpa3-sae or wpa2-wpa3")
    String security() default "open";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "8-63 printable ASCII; never logged")
    String passphrase() default "";

    @AttributeDefinition(description = "2.4 or 5 (GHz)")
    String band() default "2.4";

    int channel() default 6;

    boolean hidden() default false;

    int max_stations() default 32;

    @AttributeDefinition(description = "HH:MM-HH:MM windows when the AP is on; empty = always")
    String[] on_hours() default {};

    @AttributeDefinition(description = "MAC addresses never admitted")
    String[] deny_list() default {};

    @AttributeDefinition(description = "also mark the SSID with the sharing suffix, for scanners that cannot read vendor elements")
    boolean ssid_suffix() default false;

    @AttributeDefinition(description = "ISO 3166-1 country code for regulatory limits (hostapd country_code); empty: none")
    String country_code() default "";

    @AttributeDefinition(description = "hostapd: the radio (or, with driver wired, the Ethernet port)")
    String interface_name() default "wlan0";

    @AttributeDefinition(description = "hostapd driver: nl80211 for a radio, wired for an 802.1X Ethernet port")
    String driver() default "nl80211";

    @AttributeDefinition(description = "hostapd: users file of the internal EAP server (802.1X, e.g. a wired port); empty: none")
    String eap_user_file() default "";

    @AttributeDefinition(description = "hostapd: network namespace to run it in (ip netns exec); empty: this one")
    String netns() default "";

    @AttributeDefinition(description = "hostapd: directory for hostapd.conf; empty: the bundle's data area")
    String conf_dir() default "";

    @AttributeDefinition(description = "hostapd: control-interface directory")
    String ctrl_dir() default "/run/edgeshare-hostapd";

    @AttributeDefinition(description = "hostapd: a second radio (station mode) to scan for sharers with iw; empty: no scan")
    String scan_interface() default "";

    @AttributeDefinition(description = "milliseconds between station polls (admission, events, telemetry)")
    long poll_ms() default 1000;

    @AttributeDefinition(description = "DNS-SD: advertise this gateway and browse for others")
    boolean mdns_enabled() default true;

    @AttributeDefinition(description = "DNS-SD: address to bind (empty: the host's address)")
    String mdns_address() default "";
}
