package io.edgeshare.cache.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Conditional request evaluation (RFC 9110 section 13) for one representation: its strong ETag and date. */
final class HttpConditions {

    /** What the preconditions say to do. */
    enum Result { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private HttpConditions() {
    }

    static String etagOf(String sha256) {
        return "\"" + sha256 + "\"";
    }

    /** IMF-fixdate (RFC 9110 section 5.6.7): two-digit day, GMT; RFC_1123_DATE_TIME would drop the zero. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    static String httpDate(Instant t) {
        return IMF_FIXDATE.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    static Instant parseDate(String s) {
        if (s == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(s.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in the order RFC 9110
     * section 13.2.2 gives, for a GET or HEAD.
     */
    static Result evaluate(String ifMatch, String ifUnmodifiedSince, String ifNoneMatch, String ifModifiedSince,
            String etag, Instant lastModified) {
        if (ifMatch == null && ifUnmodifiedSince == null && ifNoneMatch == null && ifModifiedSince == null) {
            return Result.PROCEED; // the common case: a plain GET
        }
        Instant lm = lastModified.truncatedTo(ChronoUnit.SECONDS);
        if (ifMatch != null) {
            if (!matches(ifMatch, etag, true)) {
                return Result.PRECONDITION_FAILED;
            }
        } else if (ifUnmodifiedSince != null) {
            Instant t = parseDate(ifUnmodifiedSince);
            if (t != null && lm.isAfter(t)) {
                return Result.PRECONDITION_FAILED;
            }
        }
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, etag, false)) {
                return Result.NOT_MODIFIED;
            }
        } else if (ifModifiedSince != null) {
            Instant t = parseDate(ifModifiedSince);
            if (t != null && !lm.isAfter(t)) {
                return Result.NOT_MODIFIED;
            }
        }
        return Result.PROCEED;
    }

    /** If-Range: the range applies only if the validator is our strong ETag or exactly our date. */
    static boolean ifRangeHolds(String ifRange, String etag, Instant lastModified) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return v.equals(etag);
        }
        Instant t = parseDate(v);
        return t != null && t.equals(lastModified.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Whether a list of entity tags (or {@code *}) matches; strong comparison rejects weak tags. */
    static boolean matches(String header, String etag, boolean strong) {
        String h = header.trim();
        if (h.equals("*")) {
            return true;
        }
        for (String part : h.split(",")) {
            String t = part.trim();
            if (t.startsWith("W/")) {
                if (strong) {
                    continue;
                }
                t = t.substring(2);
            }
            if (t.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
