package io.edgeshare.api.ap;

/**
 * Where a terminal is (WGS84).
 *
 * @param latitude  degrees, -90..90
 * @param longitude degrees, -180..180
 */
public record GeoLocation(double latitude, double longitude) {
    public GeoLocation {
        if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("location out of range: " + latitude + "," + longitude);
        }
    }

    /** Great-circle distance in metres (haversine). */
    public double distanceTo(GeoLocation other) {
        double r = 6_371_000d;
        double dLat = Math.toRadians(other.latitude - latitude);
        double dLon = Math.toRadians(other.longitude - longitude);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(latitude)) * Math.cos(Math.toRadians(other.latitude))
                        * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
