package io.edgeshare.api.fleet;

/**
 * An area in degrees; {@code west > east} means it crosses the antimeridian.
 */
public record BoundingBox(double south, double west, double north, double east) {
    public BoundingBox {
        if (!(south >= -90 && south <= north && north <= 90) || !(west >= -180 && west <= 180)
                || !(east >= -180 && east <= 180)) {
            throw new IllegalArgumentException("bad bounding box " + south + "," + west + "," + north + "," + east);
        }
    }
}
