package io.edgeshare.platform.fleet.internal;

import java.util.Map;

/** How many requests the platform API guard refused, per cause (shown in {@code GET /api/gateways}). */
public interface ApiRefusals {

    Map<String, Long> counts();
}
