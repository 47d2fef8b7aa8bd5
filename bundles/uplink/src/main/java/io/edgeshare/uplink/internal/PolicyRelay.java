package io.edgeshare.uplink.internal;

import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.policy.PolicyService;
import io.edgeshare.api.policy.PolicyState;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.PolicyReport;
import io.edgeshare.protocol.TopicKind;

/**
 * Signed policies down ({@code policy/desired}, handed unchanged to the {@link PolicyService}) and their
 * outcome up ({@code policy/reported}, retained).
 */
final class PolicyRelay {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRelay.class);

    private final Connection connection;
    private final Counters counters;
    private final MessageCodec codec;
    private final ExecutorService policyWorker;
    private final Supplier<PolicyService> policy;

    PolicyRelay(Connection connection, Counters counters, MessageCodec codec, ExecutorService policyWorker,
            Supplier<PolicyService> policy) {
        this.connection = connection;
        this.counters = counters;
        this.codec = codec;
        this.policyWorker = policyWorker;
        this.policy = policy;
    }

    void offer(byte[] document) {
        PolicyService p = policy.get();
        if (p == null) {
            counters.rejectedMessages.incrementAndGet();
            LOG.warn("edgeshare.uplink: a policy arrived but no policy engine runs here");
            return;
        }
        if (document.length == 0) {
            return; // an operator cleared the retained policy: nothing to apply, nothing to reject
        }
        // offer() waits for the apply and health check: never on the MQTT thread or ours. The outcome is
        // published by our PolicyListener, which also hears the boot restore.
        policyWorker.execute(() -> p.offer(document));
    }

    /** Publishes the current state, on connection (when a policy engine runs) and after every decision. */
    void publishCurrent() {
        PolicyService p = policy.get();
        if (p != null) {
            publish(p.state());
        }
    }

    void publish(PolicyState s) {
        if (connection.topics == null || connection.config == null) {
            return;
        }
        String reason = s.reason() == null ? null : s.reason().replaceAll("\\p{Cntrl}", " ");
        PolicyReport report = new PolicyReport(connection.deviceId(), s.runningGeneration(), s.lastOffered(),
                s.lastOutcome(), reason, s.at());
        connection.publishDirect(connection.topics.topic(connection.deviceId(), TopicKind.POLICY_REPORTED),
                codec.encode(report), true, null);
    }
}
