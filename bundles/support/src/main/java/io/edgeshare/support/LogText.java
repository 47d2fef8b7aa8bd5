package io.edgeshare.support;

/**
 * Text from outside (titles, URLs, device ids, paths, names) made safe for one log line: control characters
 * (CR, LF, ESC, ...) become {@code \\u} escapes so input cannot forge log lines or colour a terminal,
 * and very long values are cut.
 */
public final class LogText {

    private static final int MAX = 300;

    private LogText() {
    }

    public static String clean(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX) + 16);
        for (int i = 0; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() >= MAX && s.length() > MAX) {
            b.append("...");
        }
        return b.toString();
    }
}
