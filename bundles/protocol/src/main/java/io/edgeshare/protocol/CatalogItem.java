package io.edgeshare.protocol;

import java.time.Instant;

/** One shared item in a {@link CatalogMessage}. */
public record CatalogItem(String id, String title, String mediaType, long size, String sha256, String category,
        Instant added) {
    public CatalogItem {
        Fields.requiredText("item id", id, Fields.MAX_CONTENT_ID);
        Fields.text("title", title, 1024);
        Fields.text("mediaType", mediaType, Fields.MAX_TEXT);
        Fields.nonNegative("size", size);
        Fields.text("sha256", sha256, 128);
        Fields.text("category", category, Fields.MAX_TEXT);
    }
}
