package io.edgeshare.api.fleet;

/** One shared item of a gateway's content list (see docs/mqtt.md, {@code catalog}). */
public record CatalogItem(String id, String title, String mediaType, long size, String sha256, String category) {
}
