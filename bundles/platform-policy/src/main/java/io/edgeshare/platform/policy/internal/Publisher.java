package io.edgeshare.platform.policy.internal;

import java.util.List;
import java.util.Map;

/** Puts retained QoS 1 messages on the broker and waits for their acknowledgements: Paho, or a fake in tests. */
interface Publisher {

    boolean connected();

    /**
     * Publishes one payload to many topics, pipelined (several in flight at once), and waits for every
     * acknowledgement.
     *
     * @return per topic: empty when acknowledged, else why not
     */
    Map<String, String> publishRetained(List<String> topics, byte[] payload);
}
