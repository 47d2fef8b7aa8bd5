package io.edgeshare.ap.internal;

import java.util.List;

import io.edgeshare.api.ap.Station;

/** One access-point backend: a Linux radio through hostapd, or the demo's simulation. */
interface Radio extends AutoCloseable {

    /** {@code hostapd} or {@code simulated}. */
    String name();

    /**
     * Starts the AP with these settings, or changes the running one. When it fails, the previous working
     * setup keeps running.
     */
    void apply(ApSettings settings, SharingMarker marker) throws RadioException;

    /** Puts a new marker (a new catalog revision) in the beacon without disturbing the stations. */
    default void refreshMarker(SharingMarker marker) throws RadioException {
    }

    /** Stops serving but keeps the setup (outside on.hours, or enabled = false). */
    void down() throws RadioException;

    /** Serves again after {@link #down()}. */
    void up() throws RadioException;

    /** Whether it serves now. */
    boolean isUp();

    List<Station> stations() throws RadioException;

    /** @return false when no such station is associated */
    boolean deauthenticate(String mac) throws RadioException;

    /** Sharers this radio sees around it by their beacon marker (claim A2); none when it cannot scan. */
    List<RadioSighting> sightings();

    @Override
    void close();

    /** A sharer seen on the air. */
    record RadioSighting(String deviceId, String ssid, long revision, Integer signalDbm) {
    }
}
