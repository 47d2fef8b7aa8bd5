package io.edgeshare.audio.internal;

import java.util.List;

import io.edgeshare.api.audio.AudioChannel;
import io.edgeshare.audio.internal.fifo.FifoRing;

/** What this bundle's HTTP side needs from a channel beyond the public API. */
public interface LiveChannel extends AudioChannel {

    Settings settings();

    FifoRing ring();

    Admission admission();

    /**
     * Admits and attaches a listener atomically against the cap, or says why not. Attached listeners must
     * call {@link #detach} when they end.
     */
    Admission.Decision attach(ChannelListener listener);

    void detach(ChannelListener listener);

    /** The listener caught up with the live edge; wake it when the next chunk arrives. */
    void await(ChannelListener listener);

    /** Counts bytes sent for telemetry. */
    void countBytes(long n);

    /** Bitrate of the most recent audio, in kbit/s (0 before any). */
    int bitrateKbps();

    /** A snapshot for JSON status: what the public status says and more. */
    Details details();

    record QueueEntry(String requestId, String title, String source, int position) {
    }

    record Details(String id, String name, String nowPlaying, String nowPlayingKind, long nowPlayingForMs,
            List<String> next, List<QueueEntry> queue, int listeners, int listenersDirect, long bufferFillMs, long bufferMs,
            boolean ready, boolean breakPlaying, String admission, int maxListeners, int pendingJoinRequests,
            long bytesSent, long listenersServed, long listenersDropped, long listenersRejected, long underruns,
            long silenceMs, long headChunk, long oldestChunk, long minListenerChunk, long maxListenerChunk,
            int bitrateKbps, String configError) {
    }
}
