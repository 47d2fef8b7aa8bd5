package io.edgeshare.cache.internal;

/**
 * A single HTTP byte range resolved against a representation's length (RFC 9110 section 14).
 *
 * @param first first byte, inclusive
 * @param last  last byte, inclusive
 */
record ByteRange(long first, long last) {

    /** What a Range header means for a representation of a given length. */
    sealed interface Outcome permits Full, Partial, Unsatisfiable {
    }

    /** Serve the whole representation (no header, a syntax we ignore, or several ranges). */
    record Full() implements Outcome {
    }

    record Partial(ByteRange range) implements Outcome {
    }

    /** 416: syntactically valid but no byte of it exists. */
    record Unsatisfiable() implements Outcome {
    }

    long length() {
        return last - first + 1;
    }

    String contentRange(long total) {
        return "bytes " + first + "-" + last + "/" + total;
    }

    /**
     * Parses {@code header} for a representation of {@code length} bytes. Invalid syntax is ignored (whole
     * representation), as RFC 9110 requires; multiple ranges are answered with the whole representation too.
     */
    static Outcome parse(String header, long length) {
        if (header == null) {
            return new Full();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Full();
        }
        String spec = h.substring(6).trim();
        if (spec.isEmpty() || spec.indexOf(',') >= 0) {
            return new Full();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Full();
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) {
                // suffix range: the last N bytes
                if (b.isEmpty() || !digits(b)) {
                    return new Full();
                }
                long n = parseCapped(b);
                if (n == 0 || length == 0) {
                    return new Unsatisfiable();
                }
                long first = Math.max(0, length - n);
                return new Partial(new ByteRange(first, length - 1));
            }
            if (!digits(a) || (!b.isEmpty() && !digits(b))) {
                return new Full();
            }
            long first = parseCapped(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : parseCapped(b);
            if (last < first) {
                return new Full();
            }
            if (first >= length) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(first, Math.min(last, length - 1)));
        } catch (NumberFormatException e) {
            return new Full();
        }
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Numbers beyond any file size mean "to the end"; never overflow. */
    private static long parseCapped(String s) {
        return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
    }
}
