package io.edgeshare.api.cache;

/**
 * Where a fetch stands.
 *
 * @param id       the item's id
 * @param state    {@code cached} (already here), {@code fetching} or {@code failed}
 * @param source   where the bytes come from, e.g. {@code peer gw-rivoli} or {@code origin}; empty if unknown
 * @param bytes    bytes received so far
 * @param expected total bytes, or -1 when not known yet
 * @param error    why it failed; empty otherwise
 */
public record FetchProgress(String id, String state, String source, long bytes, long expected, String error) {
}
