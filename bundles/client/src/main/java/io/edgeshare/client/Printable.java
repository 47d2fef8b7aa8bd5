package io.edgeshare.client;

import java.util.regex.Pattern;

/** Text a peer supplied, made safe to print: control characters (terminal escapes) become spaces. */
final class Printable {
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\p{Cf}]");

    private Printable() {
    }

    static String of(String text) {
        return text == null ? "" : CONTROL.matcher(text).replaceAll(" ");
    }
}
