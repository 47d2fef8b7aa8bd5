package io.edgeshare.metrics.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How each telemetry figure is exported: its Prometheus name, type and help, decided here on purpose for every
 * figure our sources publish today (and for the platform figures the fleet is to publish). A figure not listed
 * is exported as a gauge named {@code edgeshare_{source}_{key}}, sanitised. Counters are figures that only grow
 * while the process lives; anything that can go down (depths, ratios, differences of counters) is a gauge.
 */
final class MetricCatalog {

    /** What one telemetry key becomes. {@code scale} converts the source's unit to the base unit (ms to s). */
    record Spec(String name, MetricType type, String help, double scale) {
    }

    /** A family whose members carry one label taken from the key's tail, e.g. {@code failures.{code}}. */
    record LabelledSpec(String keyPrefix, String label, Spec spec) {
    }

    private final Map<String, Spec> exact = new HashMap<>();
    private final Map<String, LabelledSpec> labelled = new HashMap<>();

    MetricCatalog() {
        // cache (gateway): the content store and its fetches
        counter("cache", "bytes.served", "edgeshare_cache_served_bytes_total", "Bytes of content served to clients");
        counter("cache", "bytes.origin", "edgeshare_cache_origin_bytes_total", "Bytes fetched from origins over the internet link");
        counter("cache", "bytes.peers", "edgeshare_cache_peer_bytes_total", "Bytes fetched from nearby sharers");
        gauge("cache", "bytes.saved", "edgeshare_cache_saved_bytes",
                "Bytes served that did not cross the internet link (served minus origin bytes, so a gauge)");
        gauge("cache", "hit.ratio", "edgeshare_cache_hit_ratio", "Content requests answered without a fetch of their own (0..1)");
        counter("cache", "requests", "edgeshare_cache_requests_total", "Content requests");
        counter("cache", "hits", "edgeshare_cache_hits_total", "Requests answered from the store");
        counter("cache", "coalesced", "edgeshare_cache_coalesced_total", "Requests that joined a fetch already running");
        counter("cache", "misses", "edgeshare_cache_misses_total", "Requests that needed a fetch");
        counter("cache", "origin.fetches", "edgeshare_cache_origin_fetches_total", "Fetches from origins");
        counter("cache", "origin.failures", "edgeshare_cache_origin_failures_total", "Origin fetches that failed");
        counter("cache", "origin.refused", "edgeshare_cache_origin_refused_total", "URL fetches refused by origin.allowed.prefixes");
        counter("cache", "stale.served", "edgeshare_cache_stale_served_total", "Stale copies served while the origin was unreachable");
        counter("cache", "revalidations", "edgeshare_cache_revalidations_total", "Revalidations with the origin");
        counter("cache", "peer.fetches", "edgeshare_cache_peer_fetches_total", "Fetches from nearby sharers");
        counter("cache", "peer.rejected", "edgeshare_cache_peer_rejected_total", "Peer fetches refused");
        counter("cache", "peer.mismatch", "edgeshare_cache_peer_mismatch_total", "Peer copies whose bytes did not match their hash");
        counter("cache", "fetch.rejected", "edgeshare_cache_fetch_rejected_total", "Fetches refused because the queue was full");
        counter("cache", "rejected.busy", "edgeshare_cache_busy_rejections_total", "Requests refused because the gateway was busy");
        counter("cache", "evictions", "edgeshare_cache_evictions_total", "Items evicted from the store");
        gauge("cache", "downloads.active", "edgeshare_cache_active_downloads", "Downloads being served now");
        gauge("cache", "fetches.active", "edgeshare_cache_active_fetches", "Fetches running now");
        gauge("cache", "items", "edgeshare_cache_items", "Items in the store");
        gauge("cache", "bytes.stored", "edgeshare_cache_stored_bytes", "Bytes in the store");
        gauge("cache", "bytes.quota", "edgeshare_cache_quota_bytes", "The store's quota");
        gauge("cache", "bytes.memory", "edgeshare_cache_memory_bytes", "Bytes held in the in-memory hot set");
        // audio (gateway): live channels
        gauge("audio", "channels", "edgeshare_audio_channels", "Audio channels configured");
        gauge("audio", "listeners", "edgeshare_audio_listeners", "Listeners connected now");
        counter("audio", "listeners.served", "edgeshare_audio_listeners_served_total", "Listeners served since start");
        counter("audio", "listeners.dropped", "edgeshare_audio_listener_drops_total", "Listeners dropped for falling behind");
        counter("audio", "listeners.rejected", "edgeshare_audio_listener_rejections_total", "Listeners refused (channel full)");
        counter("audio", "bytes.sent", "edgeshare_audio_sent_bytes_total", "Audio bytes sent to listeners");
        counter("audio", "underruns", "edgeshare_audio_underruns_total", "Encoder underruns");
        // portal (gateway)
        counter("portal", "requests.bad", "edgeshare_portal_bad_requests_total", "Portal requests refused as malformed");
        counter("portal", "requests.refused", "edgeshare_portal_refused_requests_total", "Portal writes refused");
        counter("portal", "captive.probes", "edgeshare_portal_captive_probes_total", "Captive-portal probes answered");
        // uplink (gateway): the MQTT link to the platform
        counter("uplink", "connects", "edgeshare_uplink_connects_total", "Connections made to the broker");
        counter("uplink", "reports.queued", "edgeshare_uplink_reports_queued_total", "Reports queued for the platform");
        counter("uplink", "reports.delivered", "edgeshare_uplink_reports_delivered_total", "Reports the broker acknowledged");
        gauge("uplink", "outbox.messages", "edgeshare_uplink_outbox_messages", "Messages waiting in the outbox (depth)");
        gauge("uplink", "outbox.bytes", "edgeshare_uplink_outbox_bytes", "Bytes waiting in the outbox");
        counter("uplink", "outbox.dropped", "edgeshare_uplink_outbox_dropped_total", "Outbox messages dropped (full)");
        counter("uplink", "outbox.expired", "edgeshare_uplink_outbox_expired_total", "Outbox messages expired");
        counter("uplink", "messages.rejected", "edgeshare_uplink_rejected_messages_total", "Incoming messages rejected");
        counter("uplink", "commands", "edgeshare_uplink_commands_total", "Commands received");
        counter("uplink", "commands.refused", "edgeshare_uplink_refused_commands_total", "Commands refused");
        gauge("uplink", "nearby.sharers", "edgeshare_uplink_nearby_sharers", "Nearby sharers the platform announced");
        // policy (gateway)
        gauge("policy", "generation.running", "edgeshare_policy_generation", "Generation of the policy in force");
        gauge("policy", "generation.last.offered", "edgeshare_policy_last_offered_generation", "Generation last offered");
        counter("policy", "offers", "edgeshare_policy_offers_total", "Policy documents offered");
        counter("policy", "applied", "edgeshare_policy_applied_total", "Policy documents applied");
        counter("policy", "rejected", "edgeshare_policy_rejected_total", "Policy documents rejected");
        counter("policy", "reverted", "edgeshare_policy_reverted_total", "Policies reverted after a failed health watch");
        counter("policy", "duplicates", "edgeshare_policy_duplicates_total", "Generations offered again");
        counter("policy", "reasserted", "edgeshare_policy_reasserted_total", "Managed configurations written back");
        exact.put(key("policy", "apply.last.ms"), new Spec("edgeshare_policy_last_apply_seconds", MetricType.GAUGE,
                "Duration of the last policy application", 0.001));
        gauge("policy", "keys.trusted", "edgeshare_policy_trusted_keys", "Policy signing keys trusted");
        labelled.put("policy", new LabelledSpec("failures.", "code", new Spec("edgeshare_policy_failures_total",
                MetricType.COUNTER, "Policy documents refused, by reason code", 1)));
        // fleet (platform): what platform-fleet is to publish as telemetry source "fleet"
        gauge("fleet", "gateways", "edgeshare_fleet_gateways", "Gateways known to the platform (fleet size)");
        gauge("fleet", "gateways.online", "edgeshare_fleet_online_gateways", "Gateways whose presence is online");
        counter("fleet", "reports", "edgeshare_fleet_reports_total", "Reports received (rate() gives reports/s)");
        histogram("fleet", "push.latency.seconds", "edgeshare_fleet_push_latency_seconds",
                "Time from a policy or nearby push to the gateway's acknowledgement");
        // this bundle
        counter("metrics", "scrapes", "edgeshare_metrics_scrapes_total", "Answers given on /metrics");
        counter("metrics", "refused", "edgeshare_metrics_refused_requests_total", "Requests to /metrics refused (403)");
        counter("metrics", "health.unready", "edgeshare_metrics_unready_answers_total", "503 answers given on /health");
    }

    private static String key(String source, String key) {
        return source + "\u0000" + key;
    }

    private void counter(String source, String key, String name, String help) {
        exact.put(key(source, key), new Spec(name, MetricType.COUNTER, help, 1));
    }

    private void gauge(String source, String key, String name, String help) {
        exact.put(key(source, key), new Spec(name, MetricType.GAUGE, help, 1));
    }

    private void histogram(String source, String key, String name, String help) {
        exact.put(key(source, key), new Spec(name, MetricType.HISTOGRAM, help, 1));
    }

    /** The spec of a plain or histogram figure; unknown ones become sanitised gauges (histograms keep their type). */
    Spec spec(String source, String key, boolean histogram) {
        Spec s = exact.get(key(source, key));
        if (s != null) {
            return s;
        }
        String name = sanitise("edgeshare_" + source + "_" + key);
        return histogram ? new Spec(name, MetricType.HISTOGRAM, "Histogram " + key + " of source " + source, 1)
                : new Spec(name, MetricType.GAUGE, "Figure " + key + " of source " + source + " (not in the catalog)", 1);
    }

    /** The labelled family a key belongs to, or null. */
    LabelledSpec labelled(String source, String key) {
        LabelledSpec l = labelled.get(source);
        return l != null && key.startsWith(l.keyPrefix()) && key.length() > l.keyPrefix().length() ? l : null;
    }

    /** A legal Prometheus metric name: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, snake_case, lower case. */
    static String sanitise(String raw) {
        String s = raw.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_").replaceAll("_+", "_");
        if (s.endsWith("_")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }
}
