package io.edgeshare.audio.internal.library;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a requested track is looked for when the local library does not have it (claim B4): today an HTTP
 * catalog fetched directly ({@link HttpTrackCatalog}); later the cache bundle, so a fetched track is cached
 * and shared like any other content.
 */
public interface TrackCatalog {

    /** Finds and fetches the best match for {@code query} to a local file; empty when there is none. */
    Optional<Track> fetch(String query) throws IOException, InterruptedException;
}
