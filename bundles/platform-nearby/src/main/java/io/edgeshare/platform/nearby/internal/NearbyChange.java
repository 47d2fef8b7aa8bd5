package io.edgeshare.platform.nearby.internal;

/**
 * One gateway joining, moving, leaving or changing its catalog; {@code from}/{@code to} are {lat, lon} or null.
 */
public record NearbyChange(String deviceId, Kind kind, double[] from, double[] to) {
    public enum Kind { JOIN, MOVE, LEAVE, CATALOG }

    public static NearbyChange join(String id, double lat, double lon) {
        return new NearbyChange(id, Kind.JOIN, null, new double[] { lat, lon });
    }

    public static NearbyChange move(String id, double fromLat, double fromLon, double toLat, double toLon) {
        return new NearbyChange(id, Kind.MOVE, new double[] { fromLat, fromLon }, new double[] { toLat, toLon });
    }

    public static NearbyChange leave(String id, double lat, double lon) {
        return new NearbyChange(id, Kind.LEAVE, new double[] { lat, lon }, null);
    }

    public static NearbyChange catalog(String id, double lat, double lon) {
        return new NearbyChange(id, Kind.CATALOG, new double[] { lat, lon }, null);
    }
}
