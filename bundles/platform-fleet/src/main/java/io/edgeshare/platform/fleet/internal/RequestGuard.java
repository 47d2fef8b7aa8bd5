package io.edgeshare.platform.fleet.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether one request may reach the platform API. In this order: methods that echo requests are
 * refused; the Host header must name an allowed host (a DNS-rebinding page names its own); a browser's
 * Origin, when sent, must name an allowed host (a cross-site page cannot post); then, except for the public
 * {@code GET /policy-key}, the operator's bearer token (compared in constant time; being on the platform
 * host is no login); last, a body must be JSON (an HTML form or a "simple" cross-site request cannot be).
 * No servlet API here, so every rule is unit-tested.
 */
final class RequestGuard {
    static final Set<String> ALWAYS_ALLOWED_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** Why a request is refused: HTTP status, stable code, one line for the client (never a secret). */
    record Refusal(int status, String code, String message) {
    }

    /** What the guard looks at, read from the request by the caller. */
    record Request(String method, String path, String host, String origin, String fetchSite, String authorization,
            String contentType) {
    }

    private final byte[] tokenDigest;
    private final Set<String> allowedHosts;

    RequestGuard(String token, Collection<String> allowedHosts) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the platform API needs an operator token");
        }
        this.tokenDigest = sha256(token.trim());
        Set<String> hosts = new TreeSet<>(ALWAYS_ALLOWED_HOSTS);
        for (String entry : allowedHosts) {
            // a .cfg file gives one comma-separated string, ConfigAdmin an array: accept both
            for (String h : entry == null ? new String[0] : entry.split("[,\\s]+")) {
                if (!h.isBlank()) {
                    hosts.add(h.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        this.allowedHosts = Set.copyOf(hosts);
    }

    Set<String> allowedHosts() {
        return allowedHosts;
    }

    Optional<Refusal> check(Request r) {
        String method = r.method() == null ? "" : r.method().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            return refuse(405, "method-not-allowed", method + " is not served by the platform API");
        }
        String host = hostOfHeader(r.host());
        if (host == null || !allowedHosts.contains(host)) {
            return refuse(403, "host-not-allowed", "the Host header does not name this platform "
                    + "(add the name to allowed.hosts of edgeshare.platform.api)");
        }
        if (r.origin() != null) {
            String originHost = hostOfOrigin(r.origin());
            if (originHost == null || !allowedHosts.contains(originHost)) {
                return refuse(403, "cross-origin", "requests from another site's pages are refused");
            }
        }
        if ("cross-site".equalsIgnoreCase(r.fetchSite())) {
            return refuse(403, "cross-origin", "requests from another site's pages are refused");
        }
        boolean publicRead = (method.equals("GET") || method.equals("HEAD")) && "/policy-key".equals(r.path());
        if (!publicRead) {
            String auth = r.authorization();
            if (auth == null || auth.isBlank()) {
                return refuse(401, "token-required", "send Authorization: Bearer <operator token>");
            }
            String given = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : "";
            if (!MessageDigest.isEqual(tokenDigest, sha256(given))) {
                return refuse(401, "token-wrong", "the bearer token is not the operator token");
            }
        }
        if (WITH_BODY.contains(method) && !json(r.contentType())) {
            return refuse(415, "unsupported-media-type", method + " needs Content-Type: application/json");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(int status, String code, String message) {
        return Optional.of(new Refusal(status, code, message));
    }

    private static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    /** The host part of a Host header, lower case, without the port; null when malformed. */
    static String hostOfHeader(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0 || (end + 1 < h.length() && !port(h.substring(end + 1)))) {
                return null;
            }
            return h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (!port(h.substring(colon)) || colon == 0) {
                return null;
            }
            h = h.substring(0, colon);
        }
        return h.matches("[a-z0-9.-]+") ? h : null;
    }

    private static boolean port(String s) {
        return s.matches(":\\d{1,5}");
    }

    /** The host of an Origin header ({@code scheme://host[:port]}), lower case; null for "null" or malformed. */
    static String hostOfOrigin(String origin) {
        try {
            URI u = new URI(origin.trim());
            if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                return null;
            }
            return u.getHost().toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
