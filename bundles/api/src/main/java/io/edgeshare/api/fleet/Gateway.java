package io.edgeshare.api.fleet;

import java.time.Instant;
import java.util.List;

import io.edgeshare.api.ap.GeoLocation;

/**
 * One gateway as stored.
 *
 * @param group      the operator's group, empty when none
 * @param location   {@code null} when unknown
 * @param online     whether its latest birth has no matching death
 * @param birthSeq   sequence number of the latest birth or accepted death
 * @param lastSeen   last message of any kind
 * @param catalogRev revision of its stored content list, -1 when none
 * @param version    change version of its last update (see {@link FleetStore#changesSince})
 */
public record Gateway(String deviceId, String profile, String group, String model, String firmware,
        GeoLocation location, String portalUrl, List<String> capabilities, boolean online, long birthSeq,
        Instant lastSeen, long catalogRev, long version) {
    public Gateway {
        capabilities = List.copyOf(capabilities);
    }
}
