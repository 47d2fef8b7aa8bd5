package io.edgeshare.cache.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code origin.allowed.prefixes} parsed once. A URL is fetched only when, parsed and normalised, its scheme,
 * host, port and path fall under one prefix: {@code https://cdn.example.com/} does not admit
 * {@code https://cdn.example.com.evil.net/}, {@code https://user@cdn...}, or {@code .../a/../../admin}.
 * No prefixes: no URL is fetched at all.
 */
final class OriginPrefixes {

    /** A URL this gateway must not fetch: either malformed or outside every prefix. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean malformed;

        Refused(String message, boolean malformed) {
            super(message, null, false, false);
            this.malformed = malformed;
        }

        /** True when the URL itself is unacceptable (400), false when it is merely not allowed (403). */
        boolean malformed() {
            return malformed;
        }
    }

    /** A normalised absolute http(s) URL split into the parts prefixes compare. */
    record Parsed(String scheme, String host, int port, String path, String query) {
        String text() {
            boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
            return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path + (query == null ? "" : "?" + query);
        }

        boolean under(Parsed prefix) {
            if (!scheme.equals(prefix.scheme) || !host.equals(prefix.host) || port != prefix.port) {
                return false;
            }
            return path.equals(prefix.path) || (prefix.path.endsWith("/") ? path.startsWith(prefix.path)
                    : path.startsWith(prefix.path + "/"));
        }
    }

    private final List<Parsed> prefixes;
    private final List<String> invalid;

    private OriginPrefixes(List<Parsed> prefixes, List<String> invalid) {
        this.prefixes = List.copyOf(prefixes);
        this.invalid = List.copyOf(invalid);
    }

    static OriginPrefixes of(List<String> raw) {
        List<Parsed> ok = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String p : raw) {
            try {
                ok.add(parse(p));
            } catch (Refused e) {
                bad.add(p);
            }
        }
        return new OriginPrefixes(ok, bad);
    }

    boolean isEmpty() {
        return prefixes.isEmpty();
    }

    /** Configured prefixes that are not absolute http(s) URLs and so admit nothing. */
    List<String> invalid() {
        return invalid;
    }

    /** The URL, normalised, when it falls under a prefix. */
    String check(String url) throws Refused {
        Parsed u = parse(url);
        for (Parsed p : prefixes) {
            if (u.under(p)) {
                return u.text();
            }
        }
        throw new Refused(prefixes.isEmpty() ? "this gateway fetches no URLs (origin.allowed.prefixes is empty)"
                : "the URL is outside origin.allowed.prefixes", false);
    }

    static Parsed parse(String url) throws Refused {
        if (url == null || url.isBlank() || url.length() > 2048) {
            throw new Refused("give an absolute http(s) URL of at most 2048 characters", true);
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("not a URL", true);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.isOpaque()) {
            throw new Refused("only absolute http(s) URLs are fetched", true);
        }
        // a server-based authority is required: host, optional port, never user info
        if (uri.getRawUserInfo() != null || uri.getHost() == null
                || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw new Refused("the URL needs a plain host name (no user info)", true);
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || path.contains("\\")) {
            throw new Refused("encoded dots or slashes are not allowed in fetched URLs", true);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new Refused("dot segments are not allowed in fetched URLs", true);
            }
        }
        return new Parsed(scheme, host, port, path, uri.getRawQuery());
    }
}
