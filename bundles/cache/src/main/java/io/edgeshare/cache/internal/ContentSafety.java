package io.edgeshare.cache.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;


/**
 * Headers that keep shared content from running in this gateway's origin. Every item is sent with
 * {@code nosniff}; an active type (HTML, SVG, XML, JavaScript, anything not on the passive list) is also an
 * attachment in a sandbox, so an item a neighbour (or an origin) served cannot script the portal.
 */
final class ContentSafety {

    private ContentSafety() {
    }

    static void apply(Exchange resp, String mediaType, String title) {
        resp.header("X-Content-Type-Options", "nosniff");
        if (MediaTypes.isPassive(mediaType)) {
            return;
        }
        resp.header("Content-Disposition", disposition(title));
        resp.header("Content-Security-Policy", "sandbox");
    }

    /** The Content-Disposition of an active item: an attachment named after its title. */
    static String disposition(String title) {
        return "attachment; filename=\"" + asciiName(title) + "\"; filename*=UTF-8''"
                + URLEncoder.encode(title == null ? "download" : title, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The title as a quoted-string-safe ASCII file name. */
    static String asciiName(String title) {
        if (title == null || title.isBlank()) {
            return "download";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < title.length() && b.length() < 120; i++) {
            char c = title.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '/' ? c : '_');
        }
        return b.toString();
    }
}
