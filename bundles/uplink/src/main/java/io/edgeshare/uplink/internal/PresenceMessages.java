package io.edgeshare.uplink.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.protocol.Location;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.Presence;
import io.edgeshare.protocol.TopicKind;

/** The gateway's birth (what it is, where, what runs) and death messages (docs/mqtt.md, {@code presence}). */
final class PresenceMessages {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceMessages.class);

    private final BundleContext context;
    private final Supplier<List<TelemetrySource>> sources;
    private final Connection connection;
    private final MessageCodec codec;

    PresenceMessages(BundleContext context, Supplier<List<TelemetrySource>> sources, Connection connection,
            MessageCodec codec) {
        this.context = context;
        this.sources = sources;
        this.connection = connection;
        this.codec = codec;
    }

    /** The retained birth of the current connection: on connect and as the answer to {@code rebirth}. */
    void publishBirth() {
        try {
            connection.publishDirect(connection.topics.topic(connection.deviceId(), TopicKind.PRESENCE),
                    codec.encode(birth(connection.config, connection.birthSeq)), true, null);
        } catch (IllegalArgumentException e) {
            LOG.error("edgeshare.uplink: birth not published, it breaks the wire contract: {}", e.getMessage());
        }
    }

    Presence birth(Settings config, long seq) {
        List<String> capabilities = new ArrayList<>();
        for (TelemetrySource s : sources.get()) {
            capabilities.add(s.name());
        }
        return Presence.birth(config.deviceId(), seq, Instant.now(), config.model(), config.profile(),
                context.getBundle().getVersion().toString(), location(config), config.portalUrl(), ourBundles(),
                capabilities, config.displayName());
    }

    Presence death(Settings config, long seq) {
        return Presence.death(config.deviceId(), seq, Instant.now());
    }

    static Location location(Settings config) {
        return new Location(config.location().latitude(), config.location().longitude());
    }

    private Map<String, String> ourBundles() {
        Map<String, String> versions = new LinkedHashMap<>();
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && bsn.startsWith("io.edgeshare.")) {
                versions.put(bsn, b.getVersion().toString());
            }
        }
        return versions;
    }
}
