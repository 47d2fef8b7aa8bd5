package io.edgeshare.platform.fleet.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.edgeshare.protocol.Presence;

/**
 * The fleet as seen through presence and status messages. A death counts only if it belongs to the latest
 * birth (same or newer sequence number): a will delivered late from an older session must not mark a
 * gateway offline that has already come back.
 */
final class FleetRegistry {
    private final Map<String, GatewayState> gateways = new ConcurrentHashMap<>();
    private final Clock clock;

    FleetRegistry(Clock clock) {
        this.clock = clock;
    }

    void birth(Presence p) {
        gateways.compute(p.deviceId(), (id, old) -> {
            if (old != null && p.seq() < old.birthSeq()) {
                return old; // a retained birth older than what we have
            }
            return new GatewayState(id, true, p.seq(), text(p.model()), text(p.profile()), text(p.firmware()),
                    p.location() == null ? 0 : p.location().lat(), p.location() == null ? 0 : p.location().lon(),
                    text(p.portalUrl()), p.capabilities() == null ? List.of() : p.capabilities(), clock.instant(),
                    old == null ? Map.of() : old.lastReport());
        });
    }

    private static String text(String s) {
        return Objects.requireNonNullElse(s, "");
    }

    /** @return whether the death was accepted */
    boolean death(String deviceId, long seq) {
        boolean[] accepted = { false };
        gateways.compute(deviceId, (id, old) -> {
            GatewayState base = old == null ? GatewayState.unknown(id) : old;
            if (seq < base.birthSeq()) {
                return old;
            }
            accepted[0] = true;
            return new GatewayState(id, false, seq, base.model(), base.profile(), base.firmware(), base.latitude(),
                    base.longitude(), base.portalUrl(), base.capabilities(), clock.instant(), base.lastReport());
        });
        return accepted[0];
    }

    void report(String deviceId, Map<String, Object> sources) {
        gateways.compute(deviceId, (id, old) -> {
            GatewayState base = old == null ? GatewayState.unknown(id) : old;
            return new GatewayState(id, base.online(), base.birthSeq(), base.model(), base.profile(),
                    base.firmware(), base.latitude(), base.longitude(), base.portalUrl(), base.capabilities(),
                    clock.instant(), Map.copyOf(sources));
        });
    }

    List<GatewayState> list() {
        List<GatewayState> all = new ArrayList<>(gateways.values());
        all.sort(Comparator.comparing(GatewayState::deviceId));
        return all;
    }

    Optional<GatewayState> get(String deviceId) {
        return Optional.ofNullable(gateways.get(deviceId));
    }
}
