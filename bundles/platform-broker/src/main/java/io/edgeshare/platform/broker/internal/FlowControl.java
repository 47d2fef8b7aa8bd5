package io.edgeshare.platform.broker.internal;

/**
 * The embedded broker's flow-control settings, written into HiveMQ's {@code config.xml}.
 *
 * @param serverReceiveMaximum how many QoS 1/2 publishes a client may have unacknowledged towards the broker
 *                             (MQTT 5 receive maximum the broker announces at CONNACK; HiveMQ's default is 10).
 *                             The platform's session pushes nearby lists within it; a gateway publishes a few
 *                             messages a minute and never comes near it
 * @param queuedMessagesMax    how many messages the broker queues per client beyond the client's own receive
 *                             maximum; past it HiveMQ drops new ones (strategy {@code discard}) and counts them.
 *                             The platform's session must be able to queue a whole fleet's births, catalogs and
 *                             reports while it is busy (HiveMQ's default, 1000, lost births at 1,000 gateways)
 * @param filePersistence      retained messages (presence, nearby lists, policies), sessions and queues on disk
 *                             ({@code file}, survives a broker restart) or in memory ({@code in-memory})
 * @param clientInflightMax    how many QoS 1/2 messages the broker sends one client unacknowledged, within the
 *                             receive maximum the client announced. HiveMQ CE's built-in limit is 50 (not in its
 *                             config.xml): the platform's session acknowledges a report once it is stored, so 50 in
 *                             flight capped it at 50 reports per store write, and at 10,000 gateways (1,000 reports a
 *                             second) the platform fell a minute behind the fleet
 */
record FlowControl(int serverReceiveMaximum, long queuedMessagesMax, boolean filePersistence, int clientInflightMax) {
    /** The defaults of PID {@code edgeshare.platform.broker}. */
    static final FlowControl DEFAULTS = new FlowControl(1000, 100_000, true, 1000);

    FlowControl {
        if (serverReceiveMaximum < 1 || serverReceiveMaximum > 65_535) {
            throw new IllegalArgumentException("server.receive.maximum must be 1-65535, not " + serverReceiveMaximum);
        }
        if (clientInflightMax < 1 || clientInflightMax > 65_535) {
            throw new IllegalArgumentException("client.inflight.max must be 1-65535, not " + clientInflightMax);
        }
        if (queuedMessagesMax < 1) {
            throw new IllegalArgumentException("queued.messages.max must be at least 1, not " + queuedMessagesMax);
        }
    }

    /** The configured settings; an unknown persistence.mode is an error (the caller logs it and does not start). */
    static FlowControl of(BrokerConfig config) {
        String mode = config.persistence_mode().strip();
        if (!mode.equals("file") && !mode.equals("in-memory")) {
            throw new IllegalArgumentException("persistence.mode must be file or in-memory, not '" + mode + "'");
        }
        return new FlowControl(config.server_receive_maximum(), config.queued_messages_max(), mode.equals("file"),
                config.client_inflight_max());
    }
}
