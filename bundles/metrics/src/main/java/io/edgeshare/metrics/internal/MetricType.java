package io.edgeshare.metrics.internal;

/** The Prometheus type of a family, as written on its {@code # TYPE} line. */
enum MetricType {
    COUNTER, GAUGE, HISTOGRAM;

    String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
