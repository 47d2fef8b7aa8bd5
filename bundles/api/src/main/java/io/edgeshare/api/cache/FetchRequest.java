package io.edgeshare.api.cache;

import java.util.Objects;

/**
 * What to fetch.
 *
 * @param id        the item's id (as in every gateway's catalog)
 * @param originUrl where it lives on the internet, or {@code null} when only nearby sharers can have it
 * @param sha256    expected SHA-256 (lower-case hex), or {@code null} to trust the sharer's catalog
 */
public record FetchRequest(String id, String originUrl, String sha256) {
    public FetchRequest {
        Objects.requireNonNull(id, "id");
    }
}
