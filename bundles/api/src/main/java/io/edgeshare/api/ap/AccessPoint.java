package io.edgeshare.api.ap;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's sharing hotspot (claim A1), configured through PID {@code edgeshare.ap}. Registered by the
 * {@code ap} bundle; the policy bundle reads {@link #status()} to see that a policy's AP settings took effect.
 */
@ProviderType
public interface AccessPoint {

    /** What the radio runs now and what the last configuration change did. */
    AccessPointStatus status();

    /** Stations associated now. */
    List<Station> stations();

    /**
     * Disconnects one station (deauthentication).
     *
     * @param mac the station's MAC address, {@code aa:bb:cc:dd:ee:ff}
     * @return false when no such station is associated
     */
    boolean disconnect(String mac);

    /**
     * Sharers this access point's radio sees around it by their beacon marker (claim A2), source
     * {@link NearbySharer#SOURCE_RADIO}; their {@code baseUrl} is empty until another source knows it.
     */
    List<NearbySharer> sharersInRange();
}
