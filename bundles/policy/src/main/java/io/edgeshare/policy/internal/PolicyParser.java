package io.edgeshare.policy.internal;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import io.edgeshare.protocol.DeviceId;

/**
 * Reads the signed payload into a {@link SharingPolicy}, rejecting anything not in schema 1: unknown fields
 * (a typo must not silently do nothing), wrong types, and values out of range, each with the field's path.
 */
final class PolicyParser {
    static final Set<String> CATEGORIES = Set.of("video", "audio", "image", "game", "document", "other");
    static final Set<String> SECURITY = Set.of("open", "wpa2-psk", "wpa3-sae", "wpa2-wpa3");
    static final Set<String> ADMISSION = Set.of("open", "capped", "approve");
    private static final Pattern HOURS = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-4]):([0-5]\\d)");

    private PolicyParser() {
    }

    static SharingPolicy parse(byte[] payload) throws PolicyException {
        JsonObject o = Envelope.strictObject(payload, "payload");
        only(o, "", "schema", "generation", "issuedAt", "expiresAt", "targets", "comment", "sharing", "cache", "ap",
                "audio", "reporting", "clear");
        Long schema = integer(o, "", "schema", 1, 1);
        if (schema == null) {
            throw invalid("schema", "is required (1)");
        }
        Long generation = integer(o, "", "generation", 1, Long.MAX_VALUE);
        if (generation == null) {
            throw invalid("generation", "is required");
        }
        String issuedAt = string(o, "", "issuedAt");
        Instant issued = issuedAt == null ? null : instant("issuedAt", issuedAt);
        String expiresAtText = string(o, "", "expiresAt");
        if (expiresAtText == null) {
            throw invalid("expiresAt", "is required (the platform signs every document with an expiry)");
        }
        Instant expiresAt = instant("expiresAt", expiresAtText);
        if (issued != null && !expiresAt.isAfter(issued)) {
            throw invalid("expiresAt", "must be after issuedAt");
        }
        List<String> targets = strings(o, "", "targets");
        if (targets == null || targets.isEmpty()) {
            throw invalid("targets", "is required: [\"all\"] or device ids");
        }
        for (String t : targets) {
            if (!t.equals(SharingPolicy.ALL) && !DeviceId.isValid(t)) {
                throw invalid("targets", "'" + t + "' is not a device id");
            }
        }
        String comment = string(o, "", "comment");
        boolean clear = Boolean.TRUE.equals(bool(o, "", "clear"));
        if (clear) {
            for (String s : List.of("sharing", "cache", "ap", "audio", "reporting")) {
                if (o.has(s)) {
                    throw invalid("clear", "must come without sections (it has '" + s + "')");
                }
            }
        }
        return new SharingPolicy(1, generation, issuedAt, expiresAt, List.copyOf(targets), comment,
                sharing(section(o, "sharing")),
                cache(section(o, "cache")), ap(section(o, "ap")), audio(section(o, "audio")),
                reporting(section(o, "reporting")), clear);
    }

    private static Instant instant(String field, String text) throws PolicyException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(field, "is not an ISO-8601 instant: " + text);
        }
    }

    private static SharingPolicy.Sharing sharing(JsonObject s) throws PolicyException {
        if (s == null) {
            return null;
        }
        String p = "sharing.";
        only(s, p, "enabled", "categories", "maxItemBytes", "clientRateBytesPerSecond", "maxConcurrentDownloads");
        List<String> categories = strings(s, p, "categories");
        if (categories != null) {
            Set<String> seen = new LinkedHashSet<>();
            for (String c : categories) {
                if (!CATEGORIES.contains(c)) {
                    throw invalid(p + "categories", "'" + c + "' is not one of " + new java.util.TreeSet<>(CATEGORIES));
                }
                seen.add(c);
            }
            categories = List.copyOf(seen);
        }
        Long maxConcurrent = integer(s, p, "maxConcurrentDownloads", 1, 10_000);
        return new SharingPolicy.Sharing(bool(s, p, "enabled"), categories,
                integer(s, p, "maxItemBytes", 1, Long.MAX_VALUE),
                integer(s, p, "clientRateBytesPerSecond", 0, Long.MAX_VALUE),
                maxConcurrent == null ? null : maxConcurrent.intValue());
    }

    private static SharingPolicy.Cache cache(JsonObject c) throws PolicyException {
        if (c == null) {
            return null;
        }
        String p = "cache.";
        only(c, p, "quotaBytes", "prefetch");
        List<SharingPolicy.Prefetch> prefetch = null;
        JsonElement list = c.get("prefetch");
        if (list != null) {
            if (!list.isJsonArray()) {
                throw invalid(p + "prefetch", "must be an array");
            }
            JsonArray a = list.getAsJsonArray();
            if (a.size() > 1000) {
                throw invalid(p + "prefetch", "has " + a.size() + " entries, at most 1000");
            }
            prefetch = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                String at = p + "prefetch[" + i + "]";
                JsonElement e = a.get(i);
                if (!e.isJsonObject()) {
                    throw invalid(at, "must be an object {url, category?, title?, sha256?}");
                }
                JsonObject entry = e.getAsJsonObject();
                only(entry, at + ".", "url", "category", "title", "sha256");
                String url = string(entry, at + ".", "url");
                if (url == null) {
                    throw invalid(at + ".url", "is required");
                }
                checkUrl(at + ".url", url);
                String category = string(entry, at + ".", "category");
                if (category != null && !CATEGORIES.contains(category)) {
                    throw invalid(at + ".category", "'" + category + "' is not one of "
                            + new java.util.TreeSet<>(CATEGORIES));
                }
                String title = string(entry, at + ".", "title");
                if (title != null && (title.contains("|") || title.length() > 200)) {
                    throw invalid(at + ".title", "must be at most 200 characters without '|'");
                }
                String sha256 = string(entry, at + ".", "sha256");
                if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
                    throw invalid(at + ".sha256", "must be 64 lower-case hex digits (the SHA-256 of the item's bytes)");
                }
                prefetch.add(new SharingPolicy.Prefetch(url, category, title, sha256));
            }
            prefetch = List.copyOf(prefetch);
        }
        return new SharingPolicy.Cache(integer(c, p, "quotaBytes", 0, Long.MAX_VALUE), prefetch);
    }

    private static void checkUrl(String at, String url) throws PolicyException {
        try {
            URI u = new URI(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || url.contains("|")) {
                throw invalid(at, "must be an absolute http or https URL without '|': " + url);
            }
        } catch (URISyntaxException e) {
            throw invalid(at, "is not a URL: " + e.getMessage());
        }
    }

    private static SharingPolicy.Ap ap(JsonObject a) throws PolicyException {
        if (a == null) {
            return null;
        }
        String p = "ap.";
        only(a, p, "ssid", "security", "passphrase", "maxStations", "hours");
        String ssid = string(a, p, "ssid");
        if (ssid != null) {
            int bytes = ssid.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < 1 || bytes > 32) {
                throw invalid(p + "ssid", "must be 1 to 32 bytes of UTF-8, is " + bytes);
            }
        }
        String security = string(a, p, "security");
        if (security != null && !SECURITY.contains(security)) {
            throw invalid(p + "security", "'" + security + "' is not one of " + new java.util.TreeSet<>(SECURITY));
        }
        String passphrase = string(a, p, "passphrase");
        if (security != null && !security.equals("open")) {
            if (passphrase == null) {
                throw invalid(p + "passphrase", "is required with security " + security);
            }
        }
        if (passphrase != null) {
            boolean printable = passphrase.chars().allMatch(ch -> ch >= 32 && ch <= 126);
            if (passphrase.length() < 8 || passphrase.length() > 63 || !printable) {
                // the value itself is a secret: never echo it
                throw invalid(p + "passphrase", "must be 8 to 63 printable ASCII characters");
            }
        }
        Long maxStations = integer(a, p, "maxStations", 1, 2007);
        List<String> hours = strings(a, p, "hours");
        if (hours != null) {
            for (String h : hours) {
                var m = HOURS.matcher(h);
                if (!m.matches() || (m.group(3).equals("24") && !m.group(4).equals("00")) || h.substring(0, 5)
                        .equals(h.substring(6))) {
                    throw invalid(p + "hours", "'" + h + "' is not HH:MM-HH:MM (00:00-24:00, a window may wrap "
                            + "past midnight, start and end differ)");
                }
            }
            hours = List.copyOf(hours);
        }
        return new SharingPolicy.Ap(ssid, security, passphrase, maxStations == null ? null : maxStations.intValue(),
                hours);
    }

    private static SharingPolicy.Audio audio(JsonObject a) throws PolicyException {
        if (a == null) {
            return null;
        }
        String p = "audio.";
        only(a, p, "maxListeners", "admission", "breaksEvery");
        String admission = string(a, p, "admission");
        if (admission != null && !ADMISSION.contains(admission)) {
            throw invalid(p + "admission", "'" + admission + "' is not one of [approve, capped, open]");
        }
        Long max = integer(a, p, "maxListeners", 0, 100_000);
        Long breaks = integer(a, p, "breaksEvery", 0, 1000);
        return new SharingPolicy.Audio(max == null ? null : max.intValue(), admission,
                breaks == null ? null : breaks.intValue());
    }

    private static SharingPolicy.Reporting reporting(JsonObject r) throws PolicyException {
        if (r == null) {
            return null;
        }
        only(r, "reporting.", "intervalSeconds");
        Long s = integer(r, "reporting.", "intervalSeconds", 1, 86_400);
        return new SharingPolicy.Reporting(s == null ? null : s.intValue());
    }

    // --- typed field readers: absent or null means "not set" ---

    private static PolicyException invalid(String path, String what) {
        return new PolicyException(PolicyException.INVALID, path + " " + what);
    }

    private static void only(JsonObject o, String prefix, String... allowed) throws PolicyException {
        Set<String> ok = Set.of(allowed);
        for (String k : o.keySet()) {
            if (!ok.contains(k)) {
                throw invalid(prefix + k, "is not a field of schema 1");
            }
        }
    }

    private static JsonObject section(JsonObject o, String key) throws PolicyException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw invalid(key, "must be an object");
        }
        return e.getAsJsonObject();
    }

    private static String string(JsonObject o, String prefix, String key) throws PolicyException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw invalid(prefix + key, "must be a string");
        }
        return e.getAsString();
    }

    private static Boolean bool(JsonObject o, String prefix, String key) throws PolicyException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw invalid(prefix + key, "must be true or false");
        }
        return e.getAsBoolean();
    }

    private static Long integer(JsonObject o, String prefix, String key, long min, long max) throws PolicyException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        JsonPrimitive p = e.isJsonPrimitive() ? e.getAsJsonPrimitive() : null;
        if (p == null || !p.isNumber()) {
            throw invalid(prefix + key, "must be an integer");
        }
        long v;
        try {
            v = new BigDecimal(p.getAsString()).longValueExact();
        } catch (ArithmeticException | NumberFormatException x) {
            throw invalid(prefix + key, "must be an integer, got " + p.getAsString());
        }
        if (v < min || v > max) {
            throw invalid(prefix + key, "must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    private static List<String> strings(JsonObject o, String prefix, String key) throws PolicyException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw invalid(prefix + key, "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw invalid(prefix + key, "must be an array of strings");
            }
            out.add(x.getAsString());
        }
        return out;
    }
}
