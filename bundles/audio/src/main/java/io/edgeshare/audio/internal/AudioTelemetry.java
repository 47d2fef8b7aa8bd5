package io.edgeshare.audio.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;

/** Reports the audio figures (listeners, bytes sent, drops, underruns) of all channels as source "audio". */
@Component
public final class AudioTelemetry implements TelemetrySource {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<LiveChannel> channels;

    @Override
    public String name() {
        return "audio";
    }

    @Override
    public TelemetrySnapshot snapshot() {
        List<LiveChannel> cs = channels == null ? List.of() : channels;
        long listeners = 0, bytes = 0, dropped = 0, rejected = 0, underruns = 0, served = 0;
        Map<String, String> labels = new HashMap<>();
        for (LiveChannel c : cs) {
            LiveChannel.Details d = c.details();
            listeners += d.listeners();
            bytes += d.bytesSent();
            dropped += d.listenersDropped();
            rejected += d.listenersRejected();
            underruns += d.underruns();
            served += d.listenersServed();
            labels.put("channel." + d.id() + ".playing", d.nowPlaying());
            if (!d.configError().isEmpty()) {
                labels.put("channel." + d.id() + ".configError", d.configError());
            }
        }
        Map<String, Number> m = new HashMap<>();
        m.put("channels", cs.size());
        m.put("listeners", listeners);
        m.put("listeners.served", served);
        m.put("listeners.dropped", dropped);
        m.put("listeners.rejected", rejected);
        m.put("bytes.sent", bytes);
        m.put("underruns", underruns);
        return new TelemetrySnapshot(name(), Instant.now(), m, labels);
    }
}
