package io.edgeshare.cache.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The content cache (PID {@code edgeshare.cache}). The sharing policy changes these at runtime; every key
 * except {@code store.dir} applies in place, without dropping downloads in flight.
 */
@ObjectClassDefinition(pid = "edgeshare.cache", name = "EdgeShare content cache",
        description = "Content store, sharing policy limits, origin and peer fetch")
public @interface CacheConfig {

    @AttributeDefinition(description = "Store directory; empty: ${edgeshare.instance.dir}/data/cache, else the "
            + "bundle's data area. Changes apply at the next start")
    String store_dir() default "";

    @AttributeDefinition(description = "Bytes the store may hold; least recently served items are evicted beyond it",
            min = "0")
    long quota_bytes() default 4L * 1024 * 1024 * 1024;

    @AttributeDefinition(description = "Free disk bytes to keep; admission stops below it, serving continues",
            min = "0")
    long min_free_bytes() default 256L * 1024 * 1024;

    @AttributeDefinition(description = "Categories shared (video, audio, image, game, document, other); empty: all")
    String[] allowed_categories() default {};

    @AttributeDefinition(description = "Largest item admitted and shared, in bytes", min = "1")
    long max_item_bytes() default 2L * 1024 * 1024 * 1024;

    @AttributeDefinition(description = "Download rate per client address in bytes/s; 0: unlimited", min = "0")
    long client_rate_bytes_per_s() default 0;

    @AttributeDefinition(description = "Content downloads served at once; more get 503 with Retry-After", min = "1")
    int max_concurrent_downloads() default 64;

    @AttributeDefinition(description = "Prefetch list: entries 'url' or 'url|category|title'; kept and never evicted")
    String[] prefetch() default {};

    @AttributeDefinition(description = "URL prefixes the gateway may fetch from the internet, e.g. https://cdn.example.com/; "
            + "empty: no fetch-through")
    String[] origin_allowed_prefixes() default {};

    @AttributeDefinition(description = "Seconds to wait for an origin or peer to answer", min = "1")
    int origin_timeout_s() default 15;

    @AttributeDefinition(description = "Seconds without a byte before a transfer is abandoned", min = "1")
    int stall_timeout_s() default 30;

    @AttributeDefinition(description = "Seconds an origin item is fresh when the origin sends no max-age", min = "0")
    int origin_fresh_s() default 300;

    @AttributeDefinition(description = "Fetch from nearby sharers (peer gateways) before the origin")
    boolean peer_fetch() default true;

    @AttributeDefinition(description = "Client addresses allowed to use /api/cache admin endpoints")
    String[] admin_addresses() default {"127.0.0.1", "0:0:0:0:0:0:0:1", "::1"};

    @AttributeDefinition(description = "Memory for small hot items (up to 256 KiB each) served without disk reads; 0: off",
            min = "0")
    long memory_cache_bytes() default 16L * 1024 * 1024;

    @AttributeDefinition(description = "Inbox directory: files dropped here are imported, then deleted; empty: none")
    String import_dir() default "";
}
