package io.edgeshare.api.fleet;

/**
 * A page of the fleet list: filters (null or empty for "any") and a keyset cursor.
 *
 * @param status  ANY, ONLINE or OFFLINE
 * @param profile exact deployment profile
 * @param text    case-insensitive substring of device id, model, group or profile
 * @param area    only gateways with a location inside it
 * @param after   device id of the previous page's last entry, null for the first page
 * @param limit   page size, 1..1000
 */
public record GatewayQuery(Status status, String profile, String text, BoundingBox area, String after, int limit) {
    public enum Status { ANY, ONLINE, OFFLINE }

    public GatewayQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000, got " + limit);
        }
        status = status == null ? Status.ANY : status;
    }

    public static GatewayQuery firstPage(int limit) {
        return new GatewayQuery(Status.ANY, null, null, null, null, limit);
    }

    public GatewayQuery next(String lastDeviceId) {
        return new GatewayQuery(status, profile, text, area, lastDeviceId, limit);
    }
}
