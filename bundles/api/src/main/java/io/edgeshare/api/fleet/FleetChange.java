package io.edgeshare.api.fleet;

/**
 * One entry of the change feed.
 *
 * @param gateway its state now, or {@code null} when it was decommissioned
 */
public record FleetChange(long version, String deviceId, Gateway gateway) {
    public boolean removed() {
        return gateway == null;
    }
}
