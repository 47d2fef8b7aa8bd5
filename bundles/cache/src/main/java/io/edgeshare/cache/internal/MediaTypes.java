package io.edgeshare.cache.internal;

import java.util.Locale;
import java.util.Map;

/** Media types from file names, and the sharing category a media type falls into. */
final class MediaTypes {

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("webm", "video/webm"),
            Map.entry("mkv", "video/x-matroska"), Map.entry("mov", "video/quicktime"), Map.entry("ts", "video/mp2t"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"),
            Map.entry("ogg", "audio/ogg"), Map.entry("opus", "audio/opus"), Map.entry("flac", "audio/flac"),
            Map.entry("wav", "audio/wav"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("png", "image/png"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("svg", "image/svg+xml"), Map.entry("pdf", "application/pdf"),
            Map.entry("apk", "application/vnd.android.package-archive"), Map.entry("zip", "application/zip"),
            Map.entry("txt", "text/plain"), Map.entry("html", "text/html"), Map.entry("json", "application/json"),
            Map.entry("epub", "application/epub+zip"));

    /** Types a browser only displays or plays: served inline. Anything else is an attachment in a sandbox. */
    private static final java.util.Set<String> PASSIVE_EXACT = java.util.Set.of("image/png", "image/jpeg",
            "image/gif", "image/webp", "image/avif", "image/bmp", "text/plain", "application/pdf");

    private MediaTypes() {
    }

    /**
     * Whether a browser may render this type inline: video, audio, raster images, plain text, PDF. HTML, SVG,
     * XML, JavaScript and everything unknown are active or may be sniffed into something active.
     */
    static boolean isPassive(String mediaType) {
        if (mediaType == null) {
            return false;
        }
        return mediaType.startsWith("video/") || mediaType.startsWith("audio/") || PASSIVE_EXACT.contains(mediaType);
    }

    static String forFileName(String name) {
        if (name == null) {
            return "application/octet-stream";
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return "application/octet-stream";
        }
        return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    /** Strips parameters and normalises, e.g. {@code Video/MP4; codecs=x} to {@code video/mp4}. */
    static String normalise(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String bare = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return bare.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+") ? bare : null;
    }

    /** video, audio, image, game (apps), document, or other. */
    static String categoryOf(String mediaType) {
        if (mediaType == null) {
            return "other";
        }
        if (mediaType.startsWith("video/")) {
            return "video";
        }
        if (mediaType.startsWith("audio/")) {
            return "audio";
        }
        if (mediaType.startsWith("image/")) {
            return "image";
        }
        if (mediaType.equals("application/vnd.android.package-archive")) {
            return "game";
        }
        if (mediaType.startsWith("text/") || mediaType.equals("application/pdf")
                || mediaType.equals("application/epub+zip")) {
            return "document";
        }
        return "other";
    }
}
