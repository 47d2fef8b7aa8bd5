package io.edgeshare.uplink.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.api.cache.ContentCatalog;
import io.edgeshare.api.cache.ContentFetch;
import io.edgeshare.api.policy.PolicyListener;
import io.edgeshare.api.policy.PolicyService;
import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.support.InstanceData;

/**
 * The gateway's MQTT 5 link to the platform (docs/mqtt.md), put together from its parts:
 * <ul>
 * <li>{@link UplinkSession}: connection, jittered reconnects, routing of what arrives;</li>
 * <li>{@link PresenceMessages}: a retained birth on connect and a delayed will with the same sequence;</li>
 * <li>{@link ReportPump}: status and catalog reports through the {@link DiskOutbox};</li>
 * <li>{@link Commands}: MQTT 5 request/response, answered only on the gateway's own response topics;</li>
 * <li>{@link PolicyRelay}: signed policies down, outcomes up; {@link PushedNearbySharers}: nearby lists;</li>
 * <li>{@link UplinkTelemetry}: the uplink's own figures.</li>
 * </ul>
 * All connection state is touched only on the component's single scheduler thread.
 */
@Component(configurationPid = { "edgeshare.identity", "edgeshare.uplink" },
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {})
public final class PahoUplink {
    private static final Logger LOG = LoggerFactory.getLogger(PahoUplink.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<TelemetrySource> sources = List.of();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ContentCatalog catalog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PolicyService policy;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ContentFetch contentFetch;

    private final DiskOutbox outbox;
    private final ScheduledExecutorService executor;
    private final ExecutorService policyWorker;
    private final PushedNearbySharers nearby = new PushedNearbySharers();
    private final UplinkSession session;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    public PahoUplink(BundleContext context, IdentityConfig identity, UplinkConfig link) throws IOException {
        Path state = stateDir(context);
        SequenceFile birthSequence = new SequenceFile(state.resolve("birth-seq"));
        this.outbox = new DiskOutbox(state.resolve("outbox"), link.outbox_max_bytes(),
                TimeUnit.SECONDS.toMillis(link.outbox_max_age_s()), Clock.systemUTC());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "edgeshare-uplink"));
        this.policyWorker = Executors.newSingleThreadExecutor(r -> new Thread(r, "edgeshare-uplink-policy"));
        if (outbox.size() > 0) {
            LOG.info("edgeshare.uplink: {} reports ({} bytes) waiting in the outbox from before", outbox.size(),
                    outbox.bytes());
        }
        MessageCodec codec = new MessageCodec();
        Connection connection = new Connection();
        Counters counters = new Counters();
        ReportPump reports = new ReportPump(outbox, connection, counters, executor, () -> sources, () -> catalog,
                codec);
        PolicyRelay policyRelay = new PolicyRelay(connection, counters, codec, policyWorker, () -> policy);
        PresenceMessages presence = new PresenceMessages(context, () -> sources, connection, codec);
        Commands commands = new Commands(connection, outbox, counters, codec, () -> sources, () -> policy,
                () -> contentFetch, presence, reports);
        this.session = new UplinkSession(executor, connection, birthSequence, outbox, counters, codec, presence,
                reports, commands, nearby, policyRelay);

        registrations.add(context.registerService(NearbySharers.class, nearby, null));
        registrations.add(context.registerService(TelemetrySource.class,
                new UplinkTelemetry(counters, outbox, nearby, connection), null));
        registrations.add(context.registerService(PolicyListener.class,
                state1 -> executor.execute(() -> policyRelay.publish(state1)), null));
        executor.scheduleWithFixedDelay(reports::syncOutbox, 250, 250, TimeUnit.MILLISECONDS);
        executor.execute(() -> {
            Settings settings = parse(identity, link);
            if (settings != null) {
                session.start(settings);
            }
        });
    }

    @Modified
    void modified(IdentityConfig identity, UplinkConfig link) {
        executor.execute(() -> {
            Settings next = parse(identity, link);
            if (next != null) {
                session.reconfigure(next);
            }
        });
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // framework stopping
            }
        }
        policyWorker.shutdownNow();
        executor.execute(() -> {
            session.close();
            try {
                outbox.close();
            } catch (IOException e) {
                LOG.error("edgeshare.uplink: closing the outbox: {}", e.getMessage());
            }
        });
        executor.shutdown();
        if (!executor.awaitTermination(8, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    /**
     * The instance's data directory when the launcher set one, so the birth sequence and the outbox survive
     * a rebuilt framework cache (a firmware update); the bundle's data area otherwise.
     */
    private static Path stateDir(BundleContext context) throws IOException {
        Path dir = InstanceData.instanceDir(context) != null ? InstanceData.resolve(context, "uplink")
                : context.getDataFile("").toPath();
        return Files.createDirectories(dir);
    }

    private static Settings parse(IdentityConfig identity, UplinkConfig link) {
        try {
            return Settings.from(identity, link);
        } catch (IllegalArgumentException e) {
            LOG.error("edgeshare.uplink: configuration rejected, not connecting: {}", e.getMessage());
            return null;
        }
    }
}
