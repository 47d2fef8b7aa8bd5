package io.edgeshare.protocol;

/** A position in WGS 84 degrees, as in {@code "location": {"lat": 48.86, "lon": 2.33}}. */
public record Location(double lat, double lon) {
    public Location {
        if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
            throw new Fields.InvalidField("location must have lat in [-90, 90] and lon in [-180, 180]");
        }
    }
}
