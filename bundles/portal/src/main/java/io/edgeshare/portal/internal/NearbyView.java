package io.edgeshare.portal.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import io.edgeshare.api.ap.NearbySharer;

/**
 * What the portal tells a guest about the sharers nearby. Everything a sharer supplied is treated as
 * untrusted: names are clipped, and a URL is only passed on when it is an absolute http(s) URL without
 * credentials (the page then escapes text and links nothing else).
 */
final class NearbyView {
    static final int MAX_NAME = 80;

    private NearbyView() {
    }

    /** Nearest first; sharers of unknown distance last, by name. */
    static List<NearbySharer> nearestFirst(List<NearbySharer> sharers) {
        List<NearbySharer> sorted = new ArrayList<>(sharers);
        sorted.sort(Comparator.comparingDouble((NearbySharer s) -> Double.isNaN(s.distanceM())
                ? Double.MAX_VALUE : s.distanceM()).thenComparing(NearbySharer::displayName));
        return sorted;
    }

    /** One sharer for the Nearby card. */
    static Map<String, Object> sharer(NearbySharer s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", clip(s.deviceId()));
        m.put("name", clip(s.displayName()));
        m.put("distanceM", Double.isNaN(s.distanceM()) || s.distanceM() < 0 ? null : Math.round(s.distanceM()));
        m.put("sources", new TreeSet<>(s.sources()));
        String base = safeHttpUrl(s.baseUrl());
        m.put("portalUrl", base == null ? null : base + "/");
        m.put("items", s.contentIds().size());
        m.put("contentIds", s.contentIds());
        m.put("lastSeen", s.lastSeen() == null ? null : s.lastSeen().toString());
        return m;
    }

    /** The nearest sharers (at most {@code limit}) that also hold item {@code id}, with a link to it there. */
    static List<Map<String, Object>> holders(List<NearbySharer> nearestFirst, String id, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (NearbySharer s : nearestFirst) {
            if (out.size() == limit) {
                break;
            }
            if (!s.contentIds().contains(id)) {
                continue;
            }
            String base = safeHttpUrl(s.baseUrl());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deviceId", clip(s.deviceId()));
            m.put("name", clip(s.displayName()));
            m.put("distanceM", Double.isNaN(s.distanceM()) || s.distanceM() < 0 ? null : Math.round(s.distanceM()));
            m.put("url", base == null ? null : base + "/content/" + id);
            out.add(m);
        }
        return out;
    }

    /**
     * The URL without a trailing slash if it is an absolute http or https URL with a host and no user info;
     * {@code null} otherwise (e.g. {@code javascript:}, {@code data:}, relative or malformed).
     */
    static String safeHttpUrl(String url) {
        if (url == null || url.length() > 2048) {
            return null;
        }
        try {
            URI u = new URI(url.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
                    || u.getRawUserInfo() != null) {
                return null;
            }
            String s = scheme + u.toString().substring(scheme.length());
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            return s;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    static String clip(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\p{Cntrl}", " ").strip();
        return flat.length() <= MAX_NAME ? flat : flat.substring(0, MAX_NAME) + "…";
    }
}
