package io.edgeshare.cache.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * The response headers of one version of a stored item that are the same on every request, worked out once:
 * the validators ({@code ETag}, {@code Last-Modified}, {@code Accept-Ranges}, {@code Cache-Control}) and the
 * representation's ({@code Content-Type} and the {@link ContentSafety} headers). Each is a Jetty
 * {@link PreEncodedHttpField}, so the fast route copies its bytes instead of formatting a date, concatenating
 * the ETag and encoding every header per request; the servlet route sets the same names and values.
 */
final class ItemHeaders {

    private final StoredItem source;
    final String etag;
    /** {@code added} to the second, as compared by the conditionals (If-Modified-Since and the like). */
    final Instant lastModified;
    final PreEncodedHttpField[] validators;
    final PreEncodedHttpField[] representation;

    private ItemHeaders(StoredItem item) {
        source = item;
        etag = HttpConditions.etagOf(item.sha256());
        lastModified = item.added().truncatedTo(ChronoUnit.SECONDS);
        validators = new PreEncodedHttpField[] {
            new PreEncodedHttpField(HttpHeader.ETAG, etag),
            new PreEncodedHttpField(HttpHeader.LAST_MODIFIED, HttpConditions.httpDate(item.added())),
            new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes"),
            new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "public, max-age=60"),
        };
        List<PreEncodedHttpField> rep = new ArrayList<>(4);
        rep.add(new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, item.mediaType()));
        rep.add(new PreEncodedHttpField("X-Content-Type-Options", "nosniff"));
        if (!MediaTypes.isPassive(item.mediaType())) {
            rep.add(new PreEncodedHttpField(HttpHeader.CONTENT_DISPOSITION, ContentSafety.disposition(item.title())));
            rep.add(new PreEncodedHttpField("Content-Security-Policy", "sandbox"));
        }
        representation = rep.toArray(PreEncodedHttpField[]::new);
    }

    static ItemHeaders of(StoredItem item) {
        return new ItemHeaders(item);
    }

    /** Whether these headers are still those of {@code item} (same content, date, type and title). */
    boolean describes(StoredItem item) {
        return source.sha256().equals(item.sha256()) && source.added().equals(item.added())
                && source.mediaType().equals(item.mediaType()) && source.title().equals(item.title());
    }
}
