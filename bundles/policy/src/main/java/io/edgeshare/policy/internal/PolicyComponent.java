package io.edgeshare.policy.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.policy.PolicyListener;
import io.edgeshare.api.policy.PolicyService;
import io.edgeshare.api.policy.PolicyState;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import io.edgeshare.support.InstanceData;

/**
 * The gateway's policy service. Activation only reads local files; the last known good policy is re-applied
 * on a worker thread. Configuration changes (keys, timeout) apply in place.
 */
@Component(configurationPid = { "edgeshare.identity", PolicyConfig.PID, BudgetConfig.PID }, immediate = true,
        service = { PolicyService.class, TelemetrySource.class, ConfigurationListener.class })
public final class PolicyComponent implements PolicyService, TelemetrySource, ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyComponent.class);

    private final List<PolicyListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService worker;
    private final ComponentHealthCheck health;
    private final PolicyEngine engine;
    private final Path dataDir;

    @Activate
    public PolicyComponent(BundleContext context, PolicyConfig config, IdentityConfig identity, BudgetConfig budget,
            @Reference ConfigurationAdmin configAdmin, @Reference ServiceComponentRuntime scr) {
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edgeshare-policy");
            t.setDaemon(true);
            return t;
        });
        this.dataDir = dataDir(context, config);
        this.health = new ComponentHealthCheck(scr, context, List.of(config.health_required_services()));
        this.engine = new PolicyEngine(new ConfigAdminStore(configAdmin), health, new FilePolicyStore(dataDir),
                Clock.systemUTC(), this::tell);
        configure(config, identity, budget);
        PolicyState s = engine.state();
        LOG.info("edgeshare.policy active: running generation {}, data {}", s.runningGeneration(), dataDir);
        worker.execute(engine::restore);
    }

    @Modified
    void modified(PolicyConfig config, IdentityConfig identity, BudgetConfig budget) {
        configure(config, identity, budget);
        worker.execute(engine::restore);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void configure(PolicyConfig config, IdentityConfig identity, BudgetConfig budgetConfig) {
        PlatformKeys keys;
        try {
            keys = PlatformKeys.load(config.platform_public_key(), config.platform_keys_file());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.error("edgeshare.policy: the provisioned platform key is unusable, every policy will be rejected: {}",
                    e.toString());
            keys = PlatformKeys.none();
        }
        health.requireServices(List.of(config.health_required_services()));
        Budget budget = Budget.of(budgetConfig);
        engine.configure(keys, identity.device_id(), Duration.ofMillis(Math.max(100, config.health_timeout_ms())),
                budget);
        if (!budget.equals(Budget.NONE)) {
            LOG.info("edgeshare.policy: policies may not raise downloads past {} or listeners past {} (0: no ceiling)",
                    budget.maxConcurrentDownloads(), budget.maxListeners());
        }
        if (keys.size() == 0) {
            LOG.warn("edgeshare.policy: no platform key provisioned; policies are rejected until one is");
        } else {
            LOG.info("edgeshare.policy: trusting platform keys {} for device '{}'", keys.ids(), identity.device_id());
        }
    }

    static Path dataDir(BundleContext context, PolicyConfig config) {
        if (!config.data_dir().isBlank()) {
            return Path.of(config.data_dir().trim());
        }
        return InstanceData.resolve(context, "policy");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(PolicyListener l) {
        listeners.add(l);
    }

    void removeListener(PolicyListener l) {
        listeners.remove(l);
    }

    private void tell(PolicyState s) {
        for (PolicyListener l : listeners) {
            try {
                l.policyChanged(s);
            } catch (RuntimeException e) {
                LOG.warn("edgeshare.policy: listener {} failed: {}", l, e.toString());
            }
        }
    }

    @Override
    public PolicyState state() {
        return engine.state();
    }

    @Override
    public PolicyState offer(byte[] document) {
        return engine.offer(document);
    }

    @Override
    public String name() {
        return "policy";
    }

    @Override
    public TelemetrySnapshot snapshot() {
        PolicyState s = engine.state();
        Map<String, Number> metrics = engine.metrics();
        return new TelemetrySnapshot("policy", java.time.Instant.now(), metrics,
                Map.of("outcome", s.lastOutcome(), "reason", s.reason(), "health.watched", engine.lastWatched()));
    }

    /** Someone rewrote a configuration the policy manages (FileInstall at boot, an operator's edit). */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() != ConfigurationEvent.CM_UPDATED) {
            return;
        }
        String pid = event.getPid();
        String factory = event.getFactoryPid();
        if (ConfigPlan.CACHE_PID.equals(pid) || ConfigPlan.AP_PID.equals(pid) || ConfigPlan.UPLINK_PID.equals(pid)
                || ConfigPlan.AUDIO_FACTORY_PID.equals(factory)) {
            try {
                worker.execute(engine::reassert);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // deactivating
            }
        }
    }
}
