package io.edgeshare.uplink.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.NearbyList;
import io.edgeshare.protocol.NearbySharerEntry;
import io.edgeshare.protocol.ProtocolException;

/**
 * The sharers the platform found within range of this gateway and pushed to it (claim A7); offered as a
 * service to the cache (which fetches from them) and the portal.
 */
final class PushedNearbySharers implements NearbySharers {
    private final MessageCodec codec = new MessageCodec();
    private volatile List<NearbySharer> sharers = List.of();

    @Override
    public List<NearbySharer> sharers() {
        return sharers;
    }

    /**
     * Replaces the list from a pushed message.
     *
     * @throws IllegalArgumentException with a precise reason when the message is not a valid list; the
     *                                  previous list stays
     */
    void update(byte[] payload, String selfDeviceId) {
        NearbyList list;
        try {
            list = codec.decode(payload, NearbyList.class);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        List<NearbySharer> parsed = new ArrayList<>();
        for (NearbySharerEntry s : list.sharers()) {
            if (s.deviceId().equals(selfDeviceId)) {
                continue;
            }
            double distance = s.distanceM() == null ? Double.NaN : s.distanceM();
            parsed.add(new NearbySharer(s.deviceId(), s.name(), s.ssid(), s.baseUrl(), distance, s.contentIds(),
                    Set.of(NearbySharer.SOURCE_PLATFORM), null));
        }
        parsed.sort(Comparator.comparingDouble(NearbySharer::distanceM));
        sharers = List.copyOf(parsed);
    }
}
