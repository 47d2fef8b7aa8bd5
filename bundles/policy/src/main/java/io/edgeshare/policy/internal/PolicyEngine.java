package io.edgeshare.policy.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.policy.PolicyState;

/**
 * Verifies, applies, reverts and remembers sharing policies. No OSGi here: the configurations, the health
 * check, the disk and the clock are handed in, so every path is unit-tested. One decision at a time.
 */
final class PolicyEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);
    static final String APPLIED = "applied";
    static final String REJECTED = "rejected";
    static final String REVERTED = "reverted";
    static final String NONE = "none";

    private final ConfigStore configs;
    private final HealthCheck health;
    private final PolicyStore store;
    private final Baseline baseline;
    private final Clock clock;
    private final Consumer<PolicyState> listener;

    private volatile PlatformKeys keys = PlatformKeys.none();
    private volatile String deviceId = "";
    private volatile Duration healthTimeout = Duration.ofSeconds(5);
    private volatile Budget budget = Budget.NONE;

    // decision state, guarded by this
    private SharingPolicy running;
    private long runningGeneration;
    private String runningDigest = "";
    private String runningContent = "";
    private long highestGeneration;
    private long lastOffered;
    private String lastDigest = "";
    private String lastContent = "";
    private String lastOutcome = NONE;
    private String reason = "";
    private Instant at;
    private boolean restored;

    private final PolicyFigures figures = new PolicyFigures(); // guarded by this

    PolicyEngine(ConfigStore configs, HealthCheck health, PolicyStore store, Clock clock,
            Consumer<PolicyState> listener) {
        this.configs = configs;
        this.health = health;
        this.store = store;
        this.clock = clock;
        this.listener = listener;
        this.at = clock.instant();
        Baseline b;
        try {
            b = Baseline.load(store);
        } catch (IOException | RuntimeException e) {
            // without it a clear cannot put the profile's values back; policies still apply
            LOG.error("edgeshare.policy: {} unreadable, a clear will restore nothing recorded before: {}",
                    FilePolicyStore.BASELINE, e.toString());
            b = Baseline.empty(store);
        }
        this.baseline = b;
        try {
            Properties p = store.loadState();
            runningGeneration = Long.parseLong(p.getProperty("running.generation", "0"));
            runningDigest = p.getProperty("running.digest", "");
            highestGeneration = Long.parseLong(p.getProperty("highest.generation", "0"));
            lastOffered = Long.parseLong(p.getProperty("last.offered", "0"));
            lastDigest = p.getProperty("last.digest", "");
            lastOutcome = p.getProperty("last.outcome", NONE);
            reason = p.getProperty("reason", "");
            at = Instant.parse(p.getProperty("at", at.toString()));
            runningContent = p.getProperty("running.content", "");
            lastContent = p.getProperty("last.content", "");
            if (runningContent.isEmpty() && runningGeneration > 0) {
                // a decision record from before renewals existed: derive it from the stored document
                Optional<byte[]> good = store.loadGood();
                if (good.isPresent()) {
                    runningContent = PolicyDigests.content(Envelope.parse(good.get()).payload());
                }
            }
        } catch (IOException | RuntimeException | PolicyException e) {
            LOG.warn("edgeshare.policy: decision record unreadable, starting afresh: {}", e.toString());
        }
    }

    void configure(PlatformKeys keys, String deviceId, Duration healthTimeout) {
        configure(keys, deviceId, healthTimeout, Budget.NONE);
    }

    void configure(PlatformKeys keys, String deviceId, Duration healthTimeout, Budget budget) {
        this.keys = keys;
        this.deviceId = deviceId == null ? "" : deviceId;
        this.healthTimeout = healthTimeout;
        this.budget = budget;
    }

    synchronized PolicyState state() {
        return new PolicyState(runningGeneration, lastOffered, lastOutcome, reason, at);
    }

    /** Offers a document from the platform; tells the listener the outcome. */
    PolicyState offer(byte[] document) {
        PolicyState s = decide(document);
        notifyListener(s);
        return s;
    }

    private void notifyListener(PolicyState s) {
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            LOG.warn("edgeshare.policy: a policy listener failed: {}", e.toString());
        }
    }

    private synchronized PolicyState decide(byte[] document) {
        figures.offers++;
        Envelope env;
        try {
            env = Envelope.parse(document);
        } catch (PolicyException e) {
            return reject(0, "", e);
        }
        long claimed = PolicyDigests.claimedGeneration(env.payload());
        if (env.signature().length == 0) {
            return reject(claimed, "", new PolicyException(PolicyException.UNSIGNED,
                    "the envelope carries no signature"));
        }
        try {
            keys.verify(env);
        } catch (PolicyException e) {
            return reject(claimed, "", e);
        }
        String digest = PolicyDigests.sha256(env.payload());
        if (digest.equals(runningDigest) || digest.equals(lastDigest)) {
            // a retained message delivered again (reconnect, resubscribe): nothing new to decide
            figures.duplicates++;
            LOG.debug("edgeshare.policy: generation {} offered again, outcome unchanged", claimed);
            return state();
        }
        SharingPolicy p;
        String content;
        try {
            p = PolicyParser.parse(env.payload());
            content = PolicyDigests.content(env.payload());
        } catch (PolicyException e) {
            highestGeneration = Math.max(highestGeneration, claimed);
            lastContent = "";
            return reject(claimed, digest, e);
        }
        long g = p.generation();
        boolean expired = !clock.instant().isBefore(p.expiresAt());
        boolean renewsRunning = g == runningGeneration && content.equals(runningContent);
        if (renewsRunning || (g == lastOffered && content.equals(lastContent))) {
            return renewal(p, document, digest, renewsRunning, expired);
        }
        lastContent = content;
        if (!p.addresses(deviceId)) {
            return reject(g, digest, new PolicyException(PolicyException.NOT_ADDRESSED, "generation " + g
                    + " targets " + p.targets() + ", this gateway is '" + deviceId + "'"));
        }
        if (expired) {
            return reject(g, digest, new PolicyException(PolicyException.EXPIRED, "generation " + g + " expired at "
                    + p.expiresAt() + " (this gateway's clock: " + clock.instant() + ")"));
        }
        if (g <= highestGeneration) {
            PolicyException e = g == highestGeneration
                    ? new PolicyException(PolicyException.REPLAYED, "generation " + g
                            + " was already offered with different content")
                    : new PolicyException(PolicyException.OLDER, "generation " + g + " is older than generation "
                            + highestGeneration + " already offered (running " + runningGeneration + ")");
            return reject(g, digest, e);
        }
        highestGeneration = g;
        java.util.Optional<PolicyException> over = budget.exceededBy(p);
        if (over.isPresent()) {
            return reject(g, digest, over.get());
        }
        return apply(p, document, digest, false);
    }

    /**
     * The platform re-signed a generation this gateway already decided on (same content, newer issuedAt and
     * expiresAt): nothing to apply and nothing to reject. The fresher document of the running generation becomes
     * the one kept for reboots. A stale (expired) copy of it changes nothing either.
     */
    private PolicyState renewal(SharingPolicy p, byte[] document, String digest, boolean running, boolean expired) {
        if (expired) {
            figures.duplicates++;
            LOG.debug("edgeshare.policy: an expired copy of generation {} ignored", p.generation());
            return state();
        }
        figures.renewed++;
        lastDigest = p.generation() == lastOffered ? digest : lastDigest;
        if (running) {
            runningDigest = digest;
            try {
                store.saveGood(document);
            } catch (IOException e) {
                LOG.warn("edgeshare.policy: renewed generation {} not persisted: {}", p.generation(), e.toString());
            }
        }
        saveState();
        LOG.info("edgeshare.policy: generation {} renewed by the platform, valid until {} (outcome unchanged: {})",
                p.generation(), p.expiresAt(), lastOutcome);
        return state();
    }

    /**
     * Re-applies the persisted last known good document (at boot, before the platform is reachable). Does
     * nothing when there is none, when already done, or while no platform key is provisioned (called again
     * when the configuration arrives).
     */
    PolicyState restore() {
        PolicyState s;
        synchronized (this) {
            if (restored || running != null) {
                // a document offered since activation already superseded the stored one
                restored = true;
                return state();
            }
            Optional<byte[]> doc;
            try {
                doc = store.loadGood();
            } catch (IOException e) {
                LOG.error("edgeshare.policy: cannot read the last known good policy: {}", e.toString());
                restored = true;
                return state();
            }
            if (doc.isEmpty()) {
                restored = true;
                return state();
            }
            if (keys.size() == 0) {
                LOG.info("edgeshare.policy: last known good policy waits for the platform key");
                return state();
            }
            restored = true;
            SharingPolicy p;
            Envelope env;
            try {
                env = Envelope.parse(doc.get());
                keys.verify(env);
                p = PolicyParser.parse(env.payload());
            } catch (PolicyException e) {
                LOG.error("edgeshare.policy: the stored policy is not trusted, running without it: {}", e.reason());
                runningGeneration = 0;
                runningDigest = "";
                runningContent = "";
                running = null;
                lastOutcome = REJECTED;
                reason = "stored: " + e.reason();
                at = clock.instant();
                saveState();
                s = state();
                return s;
            }
            s = apply(p, doc.get(), PolicyDigests.sha256(env.payload()), true);
        }
        notifyListener(s);
        return s;
    }

    /**
     * Puts the running policy's keys back into configurations someone else rewrote (FileInstall reloading an
     * operator's file at boot or after an edit replaces the whole configuration). The policy wins for the
     * keys it sets; other keys stay as that writer left them.
     */
    synchronized int reassert() {
        if (running == null) {
            return 0;
        }
        int n = 0;
        try {
            ConfigPlan plan = ConfigPlan.of(running, configs);
            for (ConfigPlan.Change c : plan.changes()) {
                configs.write(c.pid(), c.next());
                n++;
                LOG.info("edgeshare.policy: {} was rewritten by another writer; generation {} keys put back",
                        c.pid(), running.generation());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("edgeshare.policy: could not put generation {} keys back: {}", running.generation(),
                    e.toString());
        }
        figures.reasserted += n;
        return n;
    }

    private PolicyState apply(SharingPolicy p, byte[] document, String digest, boolean boot) {
        long g = p.generation();
        long start = System.nanoTime();
        if (!boot) {
            lastOffered = g;
            lastDigest = digest;
        }
        ConfigPlan plan;
        Map<String, List<String>> remembered = Map.of();
        try {
            // a clear puts back the profile's own values; any other policy first remembers them
            plan = p.clear() ? baseline.restore(g, configs) : ConfigPlan.of(p, configs);
            if (!p.clear()) {
                remembered = baseline.record(plan);
            }
        } catch (IOException | RuntimeException e) {
            return reject(g, digest, new PolicyException(PolicyException.APPLY_FAILED,
                    "reading the current configurations failed: " + e));
        }
        HealthCheck.Probe probe = health.start(plan.pids());
        List<ConfigPlan.Change> done = new ArrayList<>();
        String failure = "";
        for (ConfigPlan.Change c : plan.changes()) {
            try {
                configs.write(c.pid(), c.next());
                done.add(c);
            } catch (IOException | RuntimeException e) {
                failure = PolicyException.APPLY_FAILED + ": updating " + c.pid() + " failed: " + e.getMessage();
                break;
            }
        }
        if (failure.isEmpty() && !plan.isEmpty()) {
            try {
                String problem = probe.await(g, healthTimeout);
                if (!problem.isEmpty()) {
                    failure = PolicyException.HEALTH_FAILED + ": " + problem;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = PolicyException.HEALTH_FAILED + ": interrupted while waiting for the health check";
            }
        }
        figures.lastApplyMillis = (System.nanoTime() - start) / 1_000_000;
        figures.lastWatched = probe.watching();
        if (!failure.isEmpty()) {
            String undo = revert(done);
            try {
                baseline.forget(remembered);
            } catch (IOException e) {
                LOG.error("edgeshare.policy: generation {} reverted but its baseline entries kept: {}", g, e.toString());
            }
            figures.reverted++;
            figures.failed(failure.substring(0, failure.indexOf(':')));
            lastOutcome = REVERTED;
            reason = (boot ? "boot: " : "") + failure + undo;
            at = clock.instant();
            if (boot) {
                running = null;
                runningGeneration = 0;
                runningDigest = "";
                runningContent = "";
            }
            LOG.warn("edgeshare.policy: generation {} reverted, still running generation {}: {}", g,
                    runningGeneration, reason);
            saveState();
            return state();
        }
        if (p.clear()) {
            try {
                baseline.reset();
            } catch (IOException e) {
                LOG.error("edgeshare.policy: generation {} (clear) applied but the baseline not emptied: {}", g,
                        e.toString());
            }
        }
        running = p;
        runningGeneration = g;
        runningDigest = digest;
        runningContent = PolicyDigests.contentOfDocument(document);
        if (!boot || lastOutcome.equals(NONE)) {
            lastOffered = Math.max(lastOffered, g);
            lastOutcome = APPLIED;
            reason = "";
            at = clock.instant();
        }
        figures.applied++;
        if (!boot) {
            try {
                store.saveGood(document);
            } catch (IOException e) {
                LOG.error("edgeshare.policy: generation {} applied but not persisted; the previous one returns at "
                        + "the next boot: {}", g, e.toString());
            }
        }
        saveState();
        LOG.info("edgeshare.policy: generation {} {} in {} ms ({} configurations changed: {}; healthy: {})", g,
                boot ? "restored" : "applied", figures.lastApplyMillis, plan.changes().size(), plan.pids(),
                probe.watching());
        return state();
    }

    /** Puts back every configuration changed so far, newest first; returns what could not be put back. */
    private String revert(List<ConfigPlan.Change> done) {
        StringBuilder failed = new StringBuilder();
        for (int i = done.size() - 1; i >= 0; i--) {
            ConfigPlan.Change c = done.get(i);
            try {
                if (c.previous() == null) {
                    configs.delete(c.pid());
                } else {
                    configs.write(c.pid(), c.previous());
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("edgeshare.policy: could not revert {}: {}", c.pid(), e.toString());
                failed.append(failed.length() == 0 ? "; revert failed for " : ", ").append(c.pid());
            }
        }
        return failed.toString();
    }

    private PolicyState reject(long generation, String digest, PolicyException e) {
        figures.rejected++;
        figures.failed(e.code());
        lastOffered = generation;
        if (!digest.isEmpty()) {
            lastDigest = digest;
        }
        lastOutcome = REJECTED;
        reason = e.reason();
        at = clock.instant();
        LOG.warn("edgeshare.policy: document (generation {}) rejected, still running generation {}: {}", generation,
                runningGeneration, reason);
        saveState();
        return state();
    }

    private void saveState() {
        Properties p = new Properties();
        p.setProperty("running.generation", Long.toString(runningGeneration));
        p.setProperty("running.digest", runningDigest);
        p.setProperty("highest.generation", Long.toString(highestGeneration));
        p.setProperty("last.offered", Long.toString(lastOffered));
        p.setProperty("last.digest", lastDigest);
        p.setProperty("last.outcome", lastOutcome);
        p.setProperty("reason", reason);
        p.setProperty("at", at.toString());
        p.setProperty("running.content", runningContent);
        p.setProperty("last.content", lastContent);
        try {
            store.saveState(p);
        } catch (IOException e) {
            LOG.error("edgeshare.policy: cannot save the decision record: {}", e.toString());
        }
    }

    /** Figures for the "policy" telemetry source. */
    synchronized Map<String, Number> metrics() {
        return figures.metrics(runningGeneration, lastOffered, keys.size());
    }

    /** The components the last apply's health check watched. */
    synchronized String lastWatched() {
        return figures.lastWatched;
    }

    synchronized SharingPolicy running() {
        return running;
    }
}
