package io.edgeshare.cache.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.cache.ContentFetch;
import io.edgeshare.api.cache.FetchProgress;
import io.edgeshare.api.cache.FetchRequest;
import io.edgeshare.support.LogText;

/**
 * {@link ContentFetch} for other bundles (the uplink's {@code fetch} command): the same path as the admin API.
 * A URL must fall under {@code origin.allowed.prefixes}; a {@code sha256} given here is trusted (it comes
 * from the platform), so a nearby sharer's copy that hashes to it may stand in for the origin.
 */
@Component(service = ContentFetch.class)
public final class ContentFetchService implements ContentFetch {
    private static final Logger LOG = LoggerFactory.getLogger(ContentFetchService.class);
    private final ContentCache cache;

    @Activate
    public ContentFetchService(@Reference ContentCache cache) {
        this.cache = cache;
    }

    @Override
    public FetchProgress fetch(FetchRequest request) {
        String id = request.id();
        String url = request.originUrl();
        if (url != null && !url.isBlank()) {
            try {
                url = cache.settings().origins().check(url);
            } catch (OriginPrefixes.Refused e) {
                if (!e.malformed()) {
                    cache.counters().originRefused.increment();
                }
                LOG.warn("Cache refused a fetch request for {}: {}", LogText.clean(url), e.getMessage());
                return failed(id, e.getMessage());
            }
            String derived = ContentFetcher.idForUrl(url);
            if (!derived.equals(id)) {
                return failed(id, "the item of this URL has id " + derived);
            }
        } else {
            url = null;
        }
        if (id == null || !DiskContentStore.ID.matcher(id).matches()) {
            return failed(id, "not a valid item id");
        }
        String sha = request.sha256();
        if (sha != null && !Hex.isSha256(sha)) {
            return failed(id, "sha256 must be 64 lower-case hex digits");
        }
        Optional<StoredItem> have = cache.store().get(id);
        if (have.isPresent() && have.get().freshAt(cache.now())) {
            return new FetchProgress(id, "cached", "", have.get().size(), have.get().size(), "");
        }
        Flight f = cache.fetcher().acquire(new ContentFetcher.Request(id, url, null, null, false, sha), null);
        return new FetchProgress(id, "fetching", f.source() == null ? "" : f.source(), f.written(), f.expected(), "");
    }

    private static FetchProgress failed(String id, String why) {
        return new FetchProgress(id, "failed", "", 0, -1, why);
    }
}
