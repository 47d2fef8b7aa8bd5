package io.edgeshare.api.cache;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the shared-content list (claim A5).
 *
 * @param id        stable identifier used in URLs; never a file-system path
 * @param title     human-readable title
 * @param mediaType MIME type, e.g. {@code video/mp4}
 * @param size      size in bytes
 * @param sha256    lower-case hex SHA-256 of the content
 * @param category  sharing category the policy filters on, e.g. {@code video}
 * @param added     when the item entered the cache
 */
public record ContentItem(String id, String title, String mediaType, long size, String sha256, String category,
        Instant added) {
    public ContentItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }
}
