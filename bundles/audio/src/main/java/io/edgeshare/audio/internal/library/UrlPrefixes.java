package io.edgeshare.audio.internal.library;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The channel's {@code origin.allowed.prefixes}: the network catalog and every track it points at must fall
 * under one, compared on the parsed, normalised URL (scheme, host, port, path at a segment boundary; no
 * user info, no dot segments). No prefixes: no URL is fetched. Mirrors the cache bundle's rule; bundles share
 * no implementation classes.
 */
public final class UrlPrefixes {

    private record Parsed(String scheme, String host, int port, String path) {
        boolean under(Parsed p) {
            return scheme.equals(p.scheme) && host.equals(p.host) && port == p.port && (path.equals(p.path)
                    || (p.path.endsWith("/") ? path.startsWith(p.path) : path.startsWith(p.path + "/")));
        }
    }

    private final List<Parsed> prefixes;

    private UrlPrefixes(List<Parsed> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    public static UrlPrefixes of(List<String> raw) {
        List<Parsed> ok = new ArrayList<>();
        for (String p : raw) {
            Parsed parsed = parse(p);
            if (parsed != null) {
                ok.add(parsed);
            }
        }
        return new UrlPrefixes(ok);
    }

    public boolean allows(URI url) {
        Parsed u = url == null ? null : parse(url.toString());
        return u != null && prefixes.stream().anyMatch(u::under);
    }

    /** Throws when {@code url} is not allowed; the message is safe to show a listener. */
    void check(URI url) throws java.io.IOException {
        if (!allows(url)) {
            throw new java.io.IOException(prefixes.isEmpty()
                    ? "the network catalog is off: origin.allowed.prefixes is empty"
                    : "the URL is outside origin.allowed.prefixes");
        }
    }

    private static Parsed parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.isOpaque() || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            return null;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || path.contains("\\")) {
            return null;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new Parsed(scheme, uri.getHost().toLowerCase(Locale.ROOT), port, path);
    }
}
