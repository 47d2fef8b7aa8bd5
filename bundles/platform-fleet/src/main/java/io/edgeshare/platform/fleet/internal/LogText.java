package io.edgeshare.platform.fleet.internal;

/** Client-supplied text made safe for one log line: control characters neutralised, length bounded. */
final class LogText {
    private static final int MAX = 200;

    private LogText() {
    }

    static String clean(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > MAX ? s.substring(0, MAX) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
