package io.edgeshare.api.cache;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Brings an item into this gateway's cache on request (the platform's {@code fetch} command, claim A7): from
 * the nearest sharer the platform pushed that has it, verified, else from its origin.
 */
@ProviderType
public interface ContentFetch {

    /** Starts the fetch, or joins one in progress, and returns at once with its progress. */
    FetchProgress fetch(FetchRequest request);
}
