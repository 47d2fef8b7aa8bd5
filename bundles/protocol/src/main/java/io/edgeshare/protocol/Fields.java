package io.edgeshare.protocol;

import java.util.List;
import java.util.Map;

/** Checks shared by the payload records' constructors; a failure is an {@link InvalidField}. */
final class Fields {
    static final int MAX_TEXT = 256;
    static final int MAX_URL = 2048;
    /** Content ids: a SHA-256 prefix, or a key derived from an origin URL. */
    static final int MAX_CONTENT_ID = 2048;
    static final int MAX_ITEMS = 100_000;

    private Fields() {
    }

    static String deviceId(String field, String value) {
        if (!DeviceId.isValid(value)) {
            throw new InvalidField(field + " must match " + DeviceId.RULE + ", got " + quote(value));
        }
        return value;
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidField("missing " + field);
        }
        return value;
    }

    /** Optional text: null stays null; otherwise at most {@code max} characters and no control characters. */
    static String text(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw new InvalidField(field + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidField(field + " contains a control character");
            }
        }
        return value;
    }

    static String requiredText(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            throw new InvalidField("missing " + field);
        }
        return text(field, value, max);
    }

    /** Optional URL: null or empty, else an absolute http(s) URL (never javascript: or file:). */
    static String httpUrl(String field, String value) {
        text(field, value, MAX_URL);
        if (value == null || value.isEmpty()) {
            return value;
        }
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        if (!(lower.startsWith("http://") || lower.startsWith("https://")) || value.length() <= 8) {
            throw new InvalidField(field + " must be an http:// or https:// URL");
        }
        return value;
    }

    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidField(field + " must not be negative, got " + value);
        }
        return value;
    }

    static <T> List<T> list(String field, List<T> value, int max) {
        if (value == null) {
            return null;
        }
        if (value.size() > max) {
            throw new InvalidField(field + " has more than " + max + " entries");
        }
        for (T t : value) {
            if (t == null) {
                throw new InvalidField(field + " contains null");
            }
        }
        return List.copyOf(value);
    }

    static List<String> texts(String field, List<String> value, int max, int maxLength) {
        List<String> copy = list(field, value, max);
        if (copy != null) {
            copy.forEach(s -> requiredText(field + " entry", s, maxLength));
        }
        return copy;
    }

    static <V> Map<String, V> map(String field, Map<String, V> value, int max) {
        if (value == null) {
            return null;
        }
        if (value.size() > max) {
            throw new InvalidField(field + " has more than " + max + " entries");
        }
        for (Map.Entry<String, V> e : value.entrySet()) {
            requiredText(field + " key", e.getKey(), MAX_TEXT);
            if (e.getValue() == null) {
                throw new InvalidField(field + " '" + e.getKey() + "' is null");
            }
        }
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(value));
    }

    /** A value for a message: quoted, cut to 70 characters, control characters escaped. */
    static String quote(String value) {
        if (value == null) {
            return "nothing";
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < value.length() && i < 70; i++) {
            char c = value.charAt(i);
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append(value.length() > 70 ? "…'" : "'").toString();
    }

    /** A broken rule found while building a record; the codec turns it into a {@link ProtocolException}. */
    static final class InvalidField extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidField(String message) {
            super(message, null);
        }
    }
}
