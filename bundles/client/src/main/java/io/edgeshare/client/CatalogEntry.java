package io.edgeshare.client;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;

/** One item of a sharer's catalog ({@code /api/catalog}). */
public record CatalogEntry(String id, String title, String mediaType, long size, String sha256, String category) {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public CatalogEntry {
        // titles come from peers: no control characters reach the user's terminal
        title = Printable.of(title);
        category = Printable.of(category);
        mediaType = Printable.of(mediaType);
    }

    static CatalogEntry from(JsonObject o) {
        return new CatalogEntry(Discovery.text(o, "id"), Discovery.text(o, "title"), Discovery.text(o, "mediaType"),
                o.has("size") ? o.get("size").getAsLong() : -1, Discovery.text(o, "sha256").toLowerCase(Locale.ROOT),
                Discovery.text(o, "category"));
    }

    /** Whether every word appears in the title, media type or category (case and accents ignored). */
    boolean matches(List<String> words, String wantedCategory) {
        if (wantedCategory != null && !wantedCategory.isEmpty() && !wantedCategory.equalsIgnoreCase(category)) {
            return false;
        }
        String hay = fold(title + " " + mediaType + " " + category + " " + id);
        return words.stream().map(CatalogEntry::fold).allMatch(hay::contains);
    }

    static String fold(String s) {
        return MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
    }
}
