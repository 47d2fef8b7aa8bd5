package io.edgeshare.api.audio;

import java.util.List;

/**
 * State of one live audio channel (claims B2, B5, B7).
 *
 * @param id          channel id, used in URLs
 * @param nowPlaying  title of what is playing, or empty
 * @param next        titles queued next
 * @param listeners   listeners currently receiving
 * @param bufferFillMs how much audio the FIFO holds, in milliseconds
 * @param bufferMs    the FIFO's capacity, in milliseconds
 * @param breakPlaying whether an interstitial (news, ad) is playing (claim B9)
 */
public record ChannelStatus(String id, String nowPlaying, List<String> next, int listeners, long bufferFillMs,
        long bufferMs, boolean breakPlaying) {
    public ChannelStatus {
        next = List.copyOf(next);
    }
}
