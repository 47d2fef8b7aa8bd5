package io.edgeshare.api.ap;

import java.util.Objects;

/**
 * The state of the access point.
 *
 * @param backend           {@code hostapd} or {@code simulated}; empty when none is configured
 * @param state             {@link #UP}, {@link #DOWN} (off by configuration or outside its hours) or
 *                          {@link #FAILED} (no working setup)
 * @param ssid              the SSID broadcast (with the sharing suffix when that fallback is on)
 * @param channel           radio channel (0 when the driver has none, e.g. wired)
 * @param security          {@code open}, {@code wpa2-psk}, {@code wpa3-sae} or {@code wpa2-wpa3}
 * @param hidden            whether the SSID is left out of beacons
 * @param maxStations       stations admitted at once
 * @param stations          stations associated now
 * @param appliedGeneration the policy generation ({@code edgeshare.policy.generation}) of the configuration
 *                          running now; 0 when it came from no policy
 * @param failedGeneration  the generation of the last configuration that could not be applied (0: none)
 * @param failure           why that configuration failed (empty when the last change succeeded); never
 *                          contains a passphrase
 */
public record AccessPointStatus(String backend, String state, String ssid, int channel, String security,
        boolean hidden, int maxStations, int stations, long appliedGeneration, long failedGeneration,
        String failure) {

    public static final String UP = "up";
    public static final String DOWN = "down";
    public static final String FAILED = "failed";

    public AccessPointStatus {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(state, "state");
        ssid = ssid == null ? "" : ssid;
        security = security == null ? "" : security;
        failure = failure == null ? "" : failure;
    }
}
