package io.edgeshare.cache.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@link CacheConfig} parsed once into immutable values. */
record Settings(String storeDir, long quotaBytes, long minFreeBytes, Set<String> allowedCategories,
        long maxItemBytes, long clientRateBytesPerS, int maxConcurrentDownloads, List<PrefetchEntry> prefetch,
        List<String> originAllowedPrefixes, int originTimeoutS, int stallTimeoutS, int originFreshS, boolean peerFetch,
        Set<String> adminAddresses, String importDir, long memoryCacheBytes) {

    /**
     * One prefetch list entry: {@code url}, {@code url|category|title} or {@code url|category|title|sha256}.
     * The SHA-256 comes from the signed policy, so a nearby sharer's copy may stand in for the origin's.
     */
    record PrefetchEntry(String url, String category, String title, String sha256) {
        PrefetchEntry(String url, String category, String title) {
            this(url, category, title, null);
        }

        static PrefetchEntry parse(String line) {
            String[] parts = line.trim().split("\\|", 3);
            String category = parts.length > 1 && !parts[1].isBlank() ? parts[1].trim() : null;
            String title = parts.length > 2 && !parts[2].isBlank() ? parts[2].trim() : null;
            String sha = null;
            int last = title == null ? -1 : title.lastIndexOf('|');
            if (last >= 0 && Hex.isSha256(title.substring(last + 1).trim())) {
                sha = title.substring(last + 1).trim();
                title = title.substring(0, last).isBlank() ? null : title.substring(0, last).trim();
            }
            return new PrefetchEntry(parts[0].trim(), category, title, sha);
        }
    }

    static Settings from(CacheConfig c) {
        Set<String> categories = new LinkedHashSet<>();
        for (String s : nonNull(c.allowed_categories())) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    categories.add(part.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        List<PrefetchEntry> prefetch = new ArrayList<>();
        for (String s : nonNull(c.prefetch())) {
            if (!s.isBlank()) {
                prefetch.add(PrefetchEntry.parse(s));
            }
        }
        List<String> prefixes = Arrays.stream(nonNull(c.origin_allowed_prefixes())).map(String::trim)
                .filter(p -> !p.isEmpty()).toList();
        Set<String> admins = new LinkedHashSet<>();
        for (String s : nonNull(c.admin_addresses())) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    admins.add(part.trim());
                }
            }
        }
        return new Settings(c.store_dir().trim(), Math.max(0, c.quota_bytes()), Math.max(0, c.min_free_bytes()),
                Set.copyOf(categories), Math.max(1, c.max_item_bytes()), Math.max(0, c.client_rate_bytes_per_s()),
                Math.max(1, c.max_concurrent_downloads()), List.copyOf(prefetch), prefixes,
                Math.max(1, c.origin_timeout_s()), Math.max(1, c.stall_timeout_s()), Math.max(0, c.origin_fresh_s()),
                c.peer_fetch(), Set.copyOf(admins), c.import_dir().trim(), Math.max(0, c.memory_cache_bytes()));
    }

    private static String[] nonNull(String[] a) {
        return a == null ? new String[0] : a;
    }

    /** The URL prefixes every fetch must fall under. */
    OriginPrefixes origins() {
        return OriginPrefixes.of(originAllowedPrefixes);
    }

    /** Whether the sharing policy lets this item be listed and served. */
    boolean shares(StoredItem item) {
        return item.size() <= maxItemBytes
                && (allowedCategories.isEmpty() || allowedCategories.contains(item.category()));
    }
}
