package io.edgeshare.platform.policy.internal;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.RolloutStore;

/**
 * Runs the {@link RolloutEngine} on its own thread: a pass every second, and one soon after an operator's
 * request or a gateway's report. Needs the platform store; without it the policy API publishes at once, as
 * before rollouts existed.
 */
@Component(service = RolloutService.class, immediate = true)
public final class RolloutService {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutService.class);
    static final long TICK_MS = 1000;

    private final PolicyAuthority authority;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final RolloutEngine engine;
    private boolean failing; // only on the rollouts thread

    @Activate
    public RolloutService(@Reference PahoPolicyService policy, @Reference RolloutStore store,
            @Reference FleetStore fleet) {
        this.authority = policy.authority();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeshare-rollouts");
            t.setDaemon(true);
            return t;
        });
        this.engine = new RolloutEngine(authority, store, new RolloutTargets(fleet),
                Clock.systemUTC(), this::wake);
        thread.scheduleWithFixedDelay(this::pass, 0, TICK_MS, TimeUnit.MILLISECONDS);
        LOG.info("edgeshare.platform.policy: staged rollouts on; active ones resume");
    }

    private void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    wakeQueued.set(false);
                    pass();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // deactivating
            }
        }
    }

    private void pass() {
        try {
            engine.step();
            if (failing) {
                failing = false;
                LOG.info("edgeshare.platform.policy: rollouts run again");
            }
        } catch (RuntimeException e) {
            if (!failing) { // said once, not every second while the store is down
                failing = true;
                LOG.warn("edgeshare.platform.policy: rollouts paused, retrying every {} ms: {}", TICK_MS, e.toString());
            }
        }
    }

    RolloutEngine engine() {
        return engine;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        authority.rollouts((d, r) -> { }, g -> false);
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
    }
}
