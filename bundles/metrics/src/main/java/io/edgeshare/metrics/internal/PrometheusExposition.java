package io.edgeshare.metrics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.edgeshare.api.telemetry.TelemetrySnapshot;

/**
 * Writes telemetry snapshots in the Prometheus text exposition format 0.0.4: one {@code # HELP} and one
 * {@code # TYPE} line per family, then its samples, families sorted by name.
 *
 * <p>A source publishes a histogram as keys {@code {name}.bucket.le.{bound}} (cumulative counts, bound a
 * number or {@code +Inf}), {@code {name}.sum} and {@code {name}.count}; a {@code +Inf} bucket is added from the
 * count when missing. Keys {@code channel.{id}.{figure}} become {@code edgeshare_{source}_channel_{figure}}
 * with the label {@code channel="{id}"}.
 */
final class PrometheusExposition {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String BUCKET = ".bucket.le.";

    private record Sample(String suffix, Map<String, String> labels, double value) {
    }

    private static final class Family {
        final MetricCatalog.Spec spec;
        final List<Sample> samples = new ArrayList<>();

        Family(MetricCatalog.Spec spec) {
            this.spec = spec;
        }
    }

    private final MetricCatalog catalog;
    private final Map<String, Family> families = new TreeMap<>();

    PrometheusExposition(MetricCatalog catalog) {
        this.catalog = catalog;
    }

    /** Adds one source's figures. */
    PrometheusExposition add(TelemetrySnapshot snap) {
        String source = snap.source();
        Map<String, Number> metrics = new TreeMap<>();
        snap.metrics().forEach((k, v) -> {
            if (v != null) {
                metrics.put(k, v);
            }
        });
        Map<String, Histogram> histograms = new TreeMap<>();
        metrics.forEach((key, n) -> {
            int b = key.indexOf(BUCKET);
            if (b > 0) {
                histograms.computeIfAbsent(key.substring(0, b), h -> new Histogram())
                        .bucket(key.substring(b + BUCKET.length()), n.doubleValue());
            }
        });
        for (Map.Entry<String, Number> e : metrics.entrySet()) {
            String key = e.getKey();
            double value = e.getValue().doubleValue();
            if (key.contains(BUCKET)) {
                continue;
            }
            int dot = key.lastIndexOf('.');
            Histogram h = dot > 0 ? histograms.get(key.substring(0, dot)) : null;
            if (h != null && key.endsWith(".sum")) {
                h.sum = value;
                continue;
            }
            if (h != null && key.endsWith(".count")) {
                h.count = value;
                continue;
            }
            MetricCatalog.LabelledSpec l = catalog.labelled(source, key);
            int channelDot = key.startsWith("channel.") ? key.indexOf('.', 8) : -1;
            if (l != null) {
                put(l.spec(), "", Map.of(l.label(), key.substring(l.keyPrefix().length())), value);
            } else if (channelDot > 8 && channelDot < key.length() - 1) {
                MetricCatalog.Spec s = catalog.spec(source, "channel." + key.substring(channelDot + 1), false);
                put(s, "", Map.of("channel", key.substring(8, channelDot)), value * s.scale());
            } else {
                MetricCatalog.Spec s = catalog.spec(source, key, false);
                put(s, "", Map.of(), value * s.scale());
            }
        }
        histograms.forEach((name, h) -> h.write(this, catalog.spec(source, name, true)));
        addStates(snap);
        return this;
    }

    /** One histogram's parts as a source published them. */
    private static final class Histogram {
        final Map<Double, Double> buckets = new TreeMap<>();
        double sum = Double.NaN;
        double count = Double.NaN;

        void bucket(String bound, double cumulative) {
            double le = bound.equals("+Inf") || bound.equals("Inf") ? Double.POSITIVE_INFINITY : parseOrNaN(bound);
            if (!Double.isNaN(le)) {
                buckets.put(le, cumulative);
            }
        }

        void write(PrometheusExposition out, MetricCatalog.Spec spec) {
            if (Double.isNaN(count)) {
                count = buckets.getOrDefault(Double.POSITIVE_INFINITY, Double.NaN);
            }
            if (Double.isNaN(count) || Double.isNaN(sum)) {
                return; // incomplete: Prometheus would reject a histogram without its sum and count
            }
            buckets.putIfAbsent(Double.POSITIVE_INFINITY, count);
            buckets.forEach((le, n) -> out.put(spec, "_bucket", Map.of("le", number(le)), n));
            out.put(spec, "_sum", Map.of(), sum);
            out.put(spec, "_count", Map.of(), count);
        }
    }

    private static double parseOrNaN(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** State labels an operator alerts on, as 0/1 gauges (text labels such as reasons are not exported). */
    private void addStates(TelemetrySnapshot snap) {
        String state = snap.labels().get("state");
        if ("uplink".equals(snap.source()) && state != null) {
            put(new MetricCatalog.Spec("edgeshare_uplink_connected", MetricType.GAUGE,
                    "1 while the MQTT link to the platform is connected", 1), "", Map.of(), "connected".equals(state) ? 1 : 0);
        }
        String admission = snap.labels().get("admission");
        if ("cache".equals(snap.source()) && admission != null) {
            put(new MetricCatalog.Spec("edgeshare_cache_admission_stopped", MetricType.GAUGE,
                    "1 while the store admits nothing new (disk full or failing)", 1), "", Map.of(),
                    "ok".equals(admission) ? 0 : 1);
        }
    }

    private void put(MetricCatalog.Spec spec, String suffix, Map<String, String> labels, double value) {
        Family f = families.computeIfAbsent(spec.name(), n -> new Family(spec));
        if (f.spec.type() != spec.type()) {
            return; // a sanitised unknown name that collides with a catalogued family of another type
        }
        for (Sample s : f.samples) {
            if (s.suffix().equals(suffix) && s.labels().equals(labels)) {
                return;
            }
        }
        f.samples.add(new Sample(suffix, labels, value));
    }

    String text() {
        StringBuilder out = new StringBuilder(4096);
        for (Map.Entry<String, Family> e : families.entrySet()) {
            Family f = e.getValue();
            out.append("# HELP ").append(e.getKey()).append(' ').append(escapeHelp(f.spec.help())).append('\n');
            out.append("# TYPE ").append(e.getKey()).append(' ').append(f.spec.type().text()).append('\n');
            for (Sample s : f.samples) {
                out.append(e.getKey()).append(s.suffix());
                if (!s.labels().isEmpty()) {
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<String, String> l : new TreeMap<>(s.labels()).entrySet()) {
                        out.append(first ? "" : ",").append(l.getKey()).append("=\"").append(escapeLabel(l.getValue()))
                                .append('"');
                        first = false;
                    }
                    out.append('}');
                }
                out.append(' ').append(number(s.value())).append('\n');
            }
        }
        return out.toString();
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
