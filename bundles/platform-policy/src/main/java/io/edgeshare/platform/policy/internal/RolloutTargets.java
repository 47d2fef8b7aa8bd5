package io.edgeshare.platform.policy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.Gateway;
import io.edgeshare.api.fleet.GatewayPage;
import io.edgeshare.api.fleet.GatewayQuery;
import io.edgeshare.api.fleet.Rollout;

/**
 * Which gateways a target names, from the fleet registry (the platform store; a decommissioned gateway is not in
 * it). A target that names no gateway of the fleet is refused (422), so a typo never becomes a rollout to nobody.
 */
final class RolloutTargets {
    private static final int PAGE = 1000;
    /** Bounds the walk over the fleet: 2,000 pages of 1,000. */
    private static final int MAX_PAGES = 2000;

    private final FleetStore fleet;

    RolloutTargets(FleetStore fleet) {
        this.fleet = fleet;
    }

    /** @return the device ids, sorted, never empty */
    List<String> resolve(Rollout.Target target, List<String> listed) throws RequestException {
        Set<String> out = new TreeSet<>();
        switch (target.kind()) {
            case DEVICE, DEVICES -> {
                List<String> unknown = new ArrayList<>();
                for (String d : listed) {
                    if (known(d)) {
                        out.add(d);
                    } else {
                        unknown.add(d);
                    }
                }
                if (!unknown.isEmpty()) {
                    throw new RequestException(422, "unknown-device", "no such gateway in the fleet: "
                            + String.join(", ", unknown));
                }
            }
            case GROUP -> walk(new GatewayQuery(GatewayQuery.Status.ANY, null, target.value(), null, null, PAGE), out,
                    g -> g.group().equals(target.value()));
            case PROFILE -> walk(new GatewayQuery(GatewayQuery.Status.ANY, target.value(), null, null, null, PAGE),
                    out, g -> g.profile().equals(target.value()));
            case ALL -> walk(GatewayQuery.firstPage(PAGE), out, g -> true);
        }
        if (out.isEmpty()) {
            throw new RequestException(422, "no-gateways", "the target " + target.kind().name().toLowerCase(
                    java.util.Locale.ROOT) + (target.value().isEmpty() ? "" : " '" + target.value() + "'")
                    + " names no known gateway");
        }
        return List.copyOf(out);
    }

    private boolean known(String device) throws RequestException {
        try {
            return fleet.gateway(device).isPresent();
        } catch (RuntimeException e) {
            throw unavailable();
        }
    }

    private void walk(GatewayQuery first, Set<String> out, java.util.function.Predicate<Gateway> keep)
            throws RequestException {
        GatewayQuery q = first;
        try {
            for (int page = 0; page < MAX_PAGES; page++) {
                GatewayPage p = fleet.gateways(q);
                p.gateways().stream().filter(keep).forEach(g -> out.add(g.deviceId()));
                if (p.nextAfter() == null) {
                    return;
                }
                q = q.next(p.nextAfter());
            }
        } catch (RuntimeException e) {
            throw unavailable();
        }
    }

    private static RequestException unavailable() {
        return new RequestException(503, "store-unavailable", "the fleet store cannot be read now; nothing was signed");
    }
}
