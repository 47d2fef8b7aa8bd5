package io.edgeshare.portal.internal;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.edgeshare.api.cache.ContentItem;

/**
 * A guest's search on the shared list: every word must appear in the title, media type or category (case
 * and accents ignored), and the category, when given, must match exactly.
 */
record CatalogQuery(List<String> words, String category) {
    static final int MAX_QUERY = 200;
    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    /**
     * Parses the request parameters.
     *
     * @throws IllegalArgumentException with a guest-readable reason when a parameter is unusable
     */
    static CatalogQuery parse(String q, String category) {
        String text = q == null ? "" : q;
        if (text.length() > MAX_QUERY) {
            throw new IllegalArgumentException("q is longer than " + MAX_QUERY + " characters");
        }
        String cat = category == null ? "" : category.trim();
        if (!cat.isEmpty() && !CATEGORY.matcher(cat).matches()) {
            throw new IllegalArgumentException("category must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        List<String> words = Arrays.stream(fold(text).split("\\s+")).filter(w -> !w.isEmpty()).toList();
        return new CatalogQuery(words, cat.toLowerCase(Locale.ROOT));
    }

    boolean matches(ContentItem item) {
        if (!category.isEmpty() && !category.equalsIgnoreCase(String.valueOf(item.category()))) {
            return false;
        }
        String hay = fold(item.title() + " " + item.mediaType() + " " + item.category());
        return words.stream().allMatch(hay::contains);
    }

    static String fold(String s) {
        String decomposed = Normalizer.normalize(s == null ? "" : s, Normalizer.Form.NFD);
        return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
    }
}
