package io.edgeshare.api.fleet;

import java.util.List;

/**
 * @param total     how many gateways match the query in all
 * @param nextAfter cursor for the next page ({@link GatewayQuery#next}), null on the last page
 */
public record GatewayPage(List<Gateway> gateways, long total, String nextAfter) {
    public GatewayPage {
        gateways = List.copyOf(gateways);
    }
}
