package io.edgeshare.cache.internal;

import java.time.Instant;
import java.util.Objects;

import io.edgeshare.api.cache.ContentItem;

/**
 * What the store knows about one item: the catalog fields plus where it came from and how fresh it is.
 * Immutable; the store replaces the whole value on every change.
 *
 * @param originUrl    the internet URL it was fetched from, or {@code null} for imported items
 * @param etag         the origin's entity tag, or {@code null}
 * @param lastModified the origin's Last-Modified header as sent, or {@code null}
 * @param freshUntil   until when it may be served without asking the origin again
 * @param pinned       an operator pinned it: never evicted
 * @param lastAccess   last time it was served (drives LRU eviction)
 */
record StoredItem(String id, String sha256, long size, String title, String mediaType, String category,
        Instant added, String originUrl, String etag, String lastModified, Instant freshUntil, boolean pinned,
        Instant lastAccess) {

    StoredItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(added, "added");
        Objects.requireNonNull(freshUntil, "freshUntil");
        Objects.requireNonNull(lastAccess, "lastAccess");
        title = title == null ? id : title;
        mediaType = mediaType == null ? "application/octet-stream" : mediaType;
        category = category == null ? MediaTypes.categoryOf(mediaType) : category;
    }

    StoredItem withPinned(boolean value) {
        return new StoredItem(id, sha256, size, title, mediaType, category, added, originUrl, etag, lastModified,
                freshUntil, value, lastAccess);
    }

    StoredItem withLastAccess(Instant value) {
        return new StoredItem(id, sha256, size, title, mediaType, category, added, originUrl, etag, lastModified,
                freshUntil, pinned, value);
    }

    StoredItem withValidators(String newEtag, String newLastModified, Instant newFreshUntil) {
        return new StoredItem(id, sha256, size, title, mediaType, category, added, originUrl,
                newEtag == null ? etag : newEtag, newLastModified == null ? lastModified : newLastModified,
                newFreshUntil, pinned, lastAccess);
    }

    boolean freshAt(Instant now) {
        return originUrl == null || now.isBefore(freshUntil);
    }

    ContentItem toContentItem() {
        return new ContentItem(id, title, mediaType, size, sha256, category, added);
    }
}
