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
import io.edgeshare.platform.session.PlatformSession;

/**
 * Runs the {@link RolloutEngine} on its own thread: a pass every second, and one soon after an operator's
 * request or a gateway's report. Needs the platform store; without it the policy API publishes at once, as
 * before rollouts existed. With several platform nodes only the leader of the node session runs the stages (they
 * all read and write the same store), so a stage is sent once; another node takes over when the leader goes.
 */
@Component(service = RolloutService.class, immediate = true)
public final class RolloutService {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutService.class);
    static final long TICK_MS = 1000;

    private final PolicyAuthority authority;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final RolloutEngine engine;
    private final PlatformSession session;
    private boolean failing; // only on the rollouts thread
    private boolean standingBy; // only on the rollouts thread

    @Activate
    public RolloutService(@Reference PahoPolicyService policy, @Reference RolloutStore store,
            @Reference FleetStore fleet, @Reference PlatformSession session) {
        this.authority = policy.authority();
        this.session = session;
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
        if (!session.leader()) {
            if (!standingBy) {
                standingBy = true;
                LOG.info("edgeshare.platform.policy: node {} is not the leader; its rollouts run on the leader",
                        session.nodeId());
            }
            return;
        }
        standingBy = false;
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
