package io.edgeshare.policy.internal;

import java.time.Instant;
import java.util.List;

/**
 * A sharing policy parsed and validated once (schema in docs/policy.md). A section or field that is null was
 * absent from the document: the gateway keeps its current value. {@code expiresAt} is required: after it the
 * document is no longer offered to this gateway (a captured old document cannot be replayed forever). A
 * {@code clear} document has no sections: it takes the gateway back to its profile's own values.
 */
record SharingPolicy(int schema, long generation, String issuedAt, Instant expiresAt, List<String> targets,
        String comment, Sharing sharing, Cache cache, Ap ap, Audio audio, Reporting reporting, boolean clear) {

    static final String ALL = "all";

    /** Whether the policy names this gateway (or all gateways). */
    boolean addresses(String deviceId) {
        return targets.contains(ALL) || (!deviceId.isEmpty() && targets.contains(deviceId));
    }

    record Sharing(Boolean enabled, List<String> categories, Long maxItemBytes, Long clientRateBytesPerSecond,
            Integer maxConcurrentDownloads) {
    }

    record Cache(Long quotaBytes, List<Prefetch> prefetch) {
    }

    /**
     * @param sha256 the item's SHA-256 as the signed policy vouches for it: lets the cache take the item from a
     *               nearby sharer instead of the origin (a peer's own claim is never trusted)
     */
    record Prefetch(String url, String category, String title, String sha256) {
        /** The cache's prefetch entry syntax: {@code url}, {@code url|category|title} or {@code url|category|title|sha256}. */
        String entry() {
            if (category == null && title == null && sha256 == null) {
                return url;
            }
            String head = url + "|" + (category == null ? "" : category) + "|" + (title == null ? "" : title);
            return sha256 == null ? head : head + "|" + sha256;
        }
    }

    record Ap(String ssid, String security, String passphrase, Integer maxStations, List<String> hours) {
        @Override
        public String toString() {
            return "Ap[ssid=" + ssid + ", security=" + security + ", passphrase=" + (passphrase == null ? "null"
                    : "***") + ", maxStations=" + maxStations + ", hours=" + hours + "]";
        }
    }

    record Audio(Integer maxListeners, String admission, Integer breaksEvery) {
    }

    record Reporting(Integer intervalSeconds) {
    }
}
