package io.edgeshare.platform.policy.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Reference;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.platform.session.MessageHandler;
import io.edgeshare.platform.session.PlatformSession;
import io.edgeshare.platform.session.Subscription;
import io.edgeshare.protocol.GatewayTopic;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.Presence;
import io.edgeshare.protocol.ProtocolException;
import io.edgeshare.protocol.TopicKind;
import io.edgeshare.protocol.Topics;
import io.edgeshare.support.InstanceData;

/**
 * The platform's policy authority on the gateways' broker: publishes signed policies retained, watches
 * {@code gw/+/policy/reported} for outcomes and {@code gw/+/presence} for gateways that join later, all through
 * the node's one broker session ({@link PlatformSession}). The key pair and history are loaded from local files
 * at activation.
 */
@Component(configurationPid = PlatformPolicyConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = PahoPolicyService.class, immediate = true)
@Designate(ocd = PlatformPolicyConfig.class)
public final class PahoPolicyService implements Publisher {
    private static final Logger LOG = LoggerFactory.getLogger(PahoPolicyService.class);

    private final PlatformSession session;
    private final List<Subscription> subscriptions;
    private final Topics topics;
    private final MessageCodec codec = new MessageCodec();
    private final int maxPacketBytes;
    private final int publishTimeoutS;
    private final PolicyAuthority authority;
    private final ExecutorService inbox;
    private final AtomicLong oversized = new AtomicLong();
    private volatile boolean closed;

    @Activate
    public PahoPolicyService(BundleContext context, PlatformPolicyConfig config,
            @Reference PlatformSession session) throws IOException, GeneralSecurityException {
        this.topics = new Topics(config.topic_prefix());
        this.maxPacketBytes = Math.max(16_384, config.max_packet_bytes());
        this.publishTimeoutS = Math.max(1, config.publish_timeout_s());
        Path dir = dataDir(context, config);
        PlatformKey key = PlatformKey.loadOrCreate(dir);
        if (key.generated()) {
            LOG.info("edgeshare.platform.policy: generated the platform signing key {} in {} (give gateways "
                    + "GET /api/policy-key)", key.keyId(), dir);
        } else {
            LOG.info("edgeshare.platform.policy: signing with platform key {}", key.keyId());
        }
        this.authority = new PolicyAuthority(key, new PolicyHistory(dir), this, Clock.systemUTC(),
                topics.prefix());
        // Paho calls back on its own thread; replies that publish must not wait on that thread
        this.inbox = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edgeshare-policy-inbox");
            t.setDaemon(true);
            return t;
        });
        this.session = session;
        // every node sees every outcome and every birth (not shared): each node's authority keeps its history
        MessageHandler handler = (topic, m, done) -> {
            try {
                received(topic, m.getPayload());
            } finally {
                done.run();
            }
        };
        this.subscriptions = List.of(
                session.subscribe(topics.everyGateway(TopicKind.POLICY_REPORTED), false, handler),
                session.subscribe(topics.everyGateway(TopicKind.PRESENCE), false, handler));
    }

    static Path dataDir(BundleContext context, PlatformPolicyConfig config) {
        if (!config.data_dir().isBlank()) {
            return Path.of(config.data_dir().trim());
        }
        return InstanceData.resolve(context, "platform-policy");
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        closed = true;
        subscriptions.forEach(Subscription::close);
        inbox.shutdownNow();
        inbox.awaitTermination(5, TimeUnit.SECONDS);
    }

    PolicyAuthority authority() {
        return authority;
    }

    @Override
    public boolean connected() {
        return session.connected();
    }

    @Override
    public Map<String, String> publishRetained(List<String> topics, byte[] payload) {
        // Pipelined: the session keeps as many in flight as the broker's receive maximum allows, so a policy for
        // thousands of gateways is not one round trip per gateway.
        Map<String, CompletableFuture<Void>> sent = new LinkedHashMap<>();
        for (String topic : topics) {
            sent.put(topic, session.publish(topic, payload, true, null).toCompletableFuture());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(publishTimeoutS)
                + TimeUnit.MILLISECONDS.toNanos(20L * topics.size());
        Map<String, String> result = new LinkedHashMap<>();
        sent.forEach((topic, done) -> result.put(topic, outcome(done, deadline)));
        return result;
    }

    private static String outcome(CompletableFuture<Void> done, long deadline) {
        try {
            done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return "";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause.getMessage() == null ? cause.toString() : cause.getMessage();
        } catch (TimeoutException e) {
            return "no acknowledgement from the broker in time";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    void handle(String topic, byte[] payload) {
        GatewayTopic t;
        try {
            t = topics.parse(topic);
        } catch (ProtocolException e) {
            LOG.debug("edgeshare.platform.policy: ignored: {}", e.getMessage());
            return;
        }
        if (t.kind() == TopicKind.POLICY_REPORTED) {
            authority.reported(t.deviceId(), payload);
        } else if (t.kind() == TopicKind.PRESENCE) {
            Presence p;
            try {
                p = codec.decode(payload, Presence.class);
            } catch (ProtocolException e) {
                LOG.debug("edgeshare.platform.policy: unreadable presence of {}: {}", t.deviceId(), e.getMessage());
                return;
            }
            if (!p.deviceId().equals(t.deviceId())) {
                LOG.debug("edgeshare.platform.policy: presence on {}'s topic names {}; ignored", t.deviceId(),
                        p.deviceId());
            } else if (p.online()) {
                authority.online(t.deviceId());
            } else {
                authority.history().seen(t.deviceId());
            }
        }
    }

    /** A message from the session's delivery thread: checked here, handled on the inbox thread. */
    private void received(String topic, byte[] payload) {
        if (payload.length == 0 || closed) {
            return; // a retained message cleared
        }
        if (payload.length > maxPacketBytes) {
            oversized.incrementAndGet();
            LOG.warn("edgeshare.platform.policy: dropped a {} byte message on {} (max.packet.bytes {})",
                    payload.length, topic, maxPacketBytes);
            return;
        }
        try {
            inbox.execute(() -> handle(topic, payload));
        } catch (RejectedExecutionException e) {
            // deactivating
        }
    }
}
