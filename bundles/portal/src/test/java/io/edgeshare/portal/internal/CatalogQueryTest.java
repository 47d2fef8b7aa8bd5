package io.edgeshare.portal.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.edgeshare.api.cache.ContentItem;

class CatalogQueryTest {
    private static final ContentItem CLIP = new ContentItem("id1", "Café Noir live.mp4", "video/mp4", 10,
            "0".repeat(64), "video", Instant.EPOCH);

    @Test
    void everyWordMustMatchIgnoringCaseAndAccents() {
        assertTrue(CatalogQuery.parse("cafe NOIR", null).matches(CLIP));
        assertFalse(CatalogQuery.parse("cafe jazz", null).matches(CLIP));
        assertTrue(CatalogQuery.parse("", "").matches(CLIP));
    }

    @Test
    void categoryMustMatchExactly() {
        assertTrue(CatalogQuery.parse(null, "video").matches(CLIP));
        assertFalse(CatalogQuery.parse(null, "music").matches(CLIP));
    }

    @Test
    void unusableParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CatalogQuery.parse("x".repeat(201), null));
        assertThrows(IllegalArgumentException.class, () -> CatalogQuery.parse(null, "<script>"));
    }
}
