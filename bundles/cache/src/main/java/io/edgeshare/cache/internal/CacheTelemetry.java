package io.edgeshare.cache.internal;

import java.util.concurrent.atomic.LongAdder;

/** Counters since start; cheap to update from serving threads. */
final class CacheTelemetry {

    final LongAdder bytesServed = new LongAdder();
    final LongAdder bytesFromOrigin = new LongAdder();
    final LongAdder bytesFromPeers = new LongAdder();
    final LongAdder requests = new LongAdder();
    /** Content requests the fast route (a Jetty core handler, not the servlet whiteboard) answered. */
    final LongAdder fastRoute = new LongAdder();
    final LongAdder hits = new LongAdder();
    final LongAdder coalesced = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder originFetches = new LongAdder();
    final LongAdder originFailures = new LongAdder();
    final LongAdder staleServed = new LongAdder();
    final LongAdder revalidations = new LongAdder();
    final LongAdder peerFetches = new LongAdder();
    final LongAdder peerRejected = new LongAdder();
    final LongAdder rejectedBusy = new LongAdder();
    /** Peer copies whose bytes did not match the id or the trusted SHA-256. */
    final LongAdder peerMismatch = new LongAdder();
    /** URL fetches refused by origin.allowed.prefixes (any path: fetch-through, command, admin, redirect). */
    final LongAdder originRefused = new LongAdder();
    /** Acquisitions refused because the fetch queue was full. */
    final LongAdder fetchRejected = new LongAdder();

    /** Requests answered without a fetch of their own, over all content requests. */
    double hitRatio() {
        long total = hits.sum() + coalesced.sum() + misses.sum();
        return total == 0 ? 0d : (double) (hits.sum() + coalesced.sum()) / total;
    }

    /** Bytes served that did not cross the internet link: every byte served beyond what the origin sent. */
    long bytesSaved() {
        return Math.max(0, bytesServed.sum() - bytesFromOrigin.sum());
    }
}
