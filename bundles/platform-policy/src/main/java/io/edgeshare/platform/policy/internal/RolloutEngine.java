package io.edgeshare.platform.policy.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonObject;

import io.edgeshare.api.fleet.Rollout;
import io.edgeshare.api.fleet.RolloutOutcome;
import io.edgeshare.api.fleet.RolloutPlan;
import io.edgeshare.api.fleet.RolloutProgress;
import io.edgeshare.api.fleet.RolloutStore;
import io.edgeshare.api.fleet.StoredPolicy;
import io.edgeshare.protocol.PolicyReport;

/**
 * Staged rollouts: a signed generation goes to a canary share of its target, then wave after wave, each after a
 * soak time, and halts by itself when too many gateways reject or revert it. Everything it knows is in the
 * {@link RolloutStore} (plan, stage, per-gateway outcome), so {@link #step()} after a restart carries on where it
 * stopped. {@link #step()} runs on one background thread; operator calls and gateway reports may come from any
 * thread. No OSGi here.
 */
final class RolloutEngine {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);
    /** Up to this many gateways a document names them; above, it is signed for "all" and sent to them only. */
    static final int SIGNED_LIST_MAX = 1000;
    private static final int PAGE = 1000;

    private final PolicyAuthority authority;
    private final RolloutStore store;
    private final RolloutTargets targets;
    private final Clock clock;
    private final Runnable wake;
    private final Map<Long, Long> rolloutOfGeneration = new ConcurrentHashMap<>();

    /** @param wake asks for a {@link #step()} soon (on the background thread) */
    RolloutEngine(PolicyAuthority authority, RolloutStore store, RolloutTargets targets, Clock clock, Runnable wake) {
        this.authority = authority;
        this.store = store;
        this.targets = targets;
        this.clock = clock;
        this.wake = wake;
        authority.rollouts(this::reported, this::completed);
    }

    /**
     * Signs a new generation and starts its rollout; nothing is published here.
     *
     * @param restores -1 for new content, else the generation whose sections these are (0: no policy, a clear)
     */
    Rollout start(JsonObject sections, RolloutRequest request, String comment, long restores) throws RequestException {
        List<String> devices = targets.resolve(request.target(), request.devices());
        return start(sections, request.target(), devices, request.plan(), comment, restores);
    }

    private Rollout start(JsonObject sections, Rollout.Target target, List<String> devices, RolloutPlan plan,
            String comment, long restores) throws RequestException {
        List<String> signedFor = target.kind() == Rollout.Target.Kind.ALL || devices.size() > SIGNED_LIST_MAX
                ? List.of(Published.ALL) : devices;
        long newest;
        try {
            newest = store.latestPolicyGeneration();
        } catch (RuntimeException e) {
            throw new RequestException(503, "store-unavailable", "the platform store cannot be read; nothing was "
                    + "signed or published");
        }
        Published p = authority.sign(sections, signedFor, comment, Math.max(0, restores), true, restores == 0, newest);
        Instant now = clock.instant();
        try {
            if (!store.savePolicy(new StoredPolicy(p.generation(), p.envelope(), now))) {
                adopt(p.generation()); // the other node's document is the one gateways will get under it
                throw new RequestException(409, "generation-conflict", "another platform node stored generation "
                        + p.generation() + " at the same moment; nothing was published, send the request again");
            }
            Rollout r = store.createRollout(p.generation(), target, plan, restores, devices, now);
            rolloutOfGeneration.put(p.generation(), r.id());
            LOG.info("edgeshare.platform.policy: rollout {} of generation {} to {} {} ({} gateways, stages {} %)",
                    r.id(), p.generation(), target.kind().name().toLowerCase(java.util.Locale.ROOT), target.value(),
                    devices.size(), plan.stages());
            wake.run();
            return r;
        } catch (RuntimeException e) {
            LOG.error("edgeshare.platform.policy: generation {} signed but its rollout could not be stored: {}",
                    p.generation(), e.toString());
            throw new RequestException(503, "store-unavailable", "the platform store could not keep the rollout; "
                    + "nothing was published (generation " + p.generation() + " is spent)");
        }
    }

    /** The generation as the shared store holds it (another node may have signed it), now in this node's history. */
    private Optional<Published> adopt(long generation) {
        Optional<StoredPolicy> stored = store.policy(generation);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(authority.adopt(generation, stored.get().document(), stored.get().createdAt()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot record generation " + generation + " in this node's history",
                    e);
        }
    }

    /** One pass over the active rollouts: halt, send the next stage, or complete. */
    void step() {
        if (!authority.connected()) {
            return;
        }
        for (Rollout r : store.activeRollouts()) {
            try {
                advance(r);
            } catch (RuntimeException e) {
                LOG.warn("edgeshare.platform.policy: rollout {} could not advance, will retry: {}", r.id(), e.toString());
            }
        }
    }

    private void advance(Rollout r) {
        Optional<RolloutProgress> found = store.progress(r.id());
        Optional<Published> published = authority.history().get(r.generation()).or(() -> adopt(r.generation()));
        if (found.isEmpty() || published.isEmpty()) {
            transition(r.id(), EnumSet.of(r.state()), Rollout.State.HALTED, p -> p.withNote(
                    "halted: generation " + r.generation() + " is not in this platform's policy history"));
            return;
        }
        RolloutProgress p = found.get();
        Counts c = Counts.of(store.outcomeCounts(r.id()));
        String halt = haltReason(p, c);
        if (halt != null) {
            if (transition(r.id(), active(), Rollout.State.HALTED, x -> x.withNote(halt))) {
                LOG.warn("edgeshare.platform.policy: rollout {} {}", r.id(), halt);
            }
            return;
        }
        int last = p.plan().stages().size() - 1;
        Instant now = clock.instant();
        boolean soaked = !now.isBefore(p.stageStartedAt().plusSeconds(p.plan().waveIntervalS()));
        if (p.stage() < last && (p.stage() < 0 || soaked)) {
            send(r, p, published.get(), p.stage() + 1, c);
        } else if (p.stage() == last && c.pending() > 0) {
            send(r, p, published.get(), last, c); // what the broker did not acknowledge last time
        } else if (p.stage() == last && (soaked || c.decided() == c.total())) {
            if (transition(r.id(), active(), Rollout.State.COMPLETED, x -> x)) {
                LOG.info("edgeshare.platform.policy: rollout {} completed: {}", r.id(), c);
            }
        }
    }

    private void send(Rollout r, RolloutProgress p, Published doc, int stage, Counts c) {
        long want = Math.max(1, (c.total() * p.plan().stages().get(stage) + 99) / 100);
        long need = want - (c.total() - c.pending());
        boolean allSent = true;
        if (need > 0) {
            List<String> chosen = pending(r.id());
            chosen.sort(Comparator.comparingLong(d -> order(r.id(), d)));
            chosen = chosen.subList(0, (int) Math.min(need, chosen.size()));
            Map<String, String> deliveries = authority.deliver(doc, chosen);
            Instant now = clock.instant();
            List<RolloutOutcome> sent = new ArrayList<>();
            deliveries.forEach((d, result) -> {
                if (result.equals("published")) {
                    sent.add(new RolloutOutcome(r.id(), d, RolloutOutcome.State.SENT, "", now));
                }
            });
            store.updateOutcomes(sent);
            allSent = sent.size() == chosen.size();
        }
        if (allSent && stage != p.stage()) {
            Rollout.State next = stage == 0 && p.plan().stages().size() > 1 ? Rollout.State.CANARY
                    : Rollout.State.WAVES;
            Instant now = clock.instant();
            if (transition(r.id(), active(), next, x -> x.withStage(stage, now))) {
                LOG.info("edgeshare.platform.policy: rollout {} stage {} ({} %) sent: {} of {} gateways", r.id(),
                        stage, p.plan().stages().get(stage), want, c.total());
            }
        }
    }

    private List<String> pending(long rolloutId) {
        List<String> out = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 10_000; page++) {
            List<RolloutOutcome> l = store.outcomes(rolloutId, RolloutOutcome.State.PENDING, after, PAGE);
            l.forEach(o -> out.add(o.deviceId()));
            if (l.size() < PAGE) {
                break;
            }
            after = l.get(l.size() - 1).deviceId();
        }
        return out;
    }

    /** Spreads a canary over the target (not the first ids in order), the same on every pass. */
    private static long order(long rolloutId, String device) {
        CRC32 crc = new CRC32();
        crc.update((rolloutId + "/" + device).getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** Why the rollout must halt, or null: shares of outcomes decided since it was last resumed. */
    static String haltReason(RolloutProgress p, Counts c) {
        long decided = c.decided() - p.baseDecided();
        long rejected = c.rejected() - p.baseRejected();
        long reverted = c.reverted() - p.baseReverted();
        if (decided < p.plan().minOutcomes()) {
            return null;
        }
        if (rejected * 100 > (long) p.plan().rejectedPercent() * decided) {
            return "halted: " + rejected + " of " + decided + " gateways rejected it (over "
                    + p.plan().rejectedPercent() + " %)";
        }
        if (reverted * 100 > (long) p.plan().revertedPercent() * decided) {
            return "halted: " + reverted + " of " + decided + " gateways reverted it (over "
                    + p.plan().revertedPercent() + " %)";
        }
        return null;
    }

    private static Set<Rollout.State> active() {
        return EnumSet.of(Rollout.State.PENDING, Rollout.State.CANARY, Rollout.State.WAVES);
    }

    /** Moves a rollout if it is in one of {@code from}: state check and write under one lock. */
    private synchronized boolean transition(long id, Set<Rollout.State> from, Rollout.State to,
            UnaryOperator<RolloutProgress> change) {
        Optional<Rollout> r = store.rollout(id);
        Optional<RolloutProgress> p = store.progress(id);
        if (r.isEmpty() || p.isEmpty() || !from.contains(r.get().state())) {
            return false;
        }
        return store.updateRollout(to, change.apply(p.get()), clock.instant());
    }

    /** A halted rollout goes on; the halt shares then count only outcomes that arrive after this. */
    Rollout resume(long id) throws RequestException {
        Rollout r = existing(id);
        Counts c = Counts.of(store.outcomeCounts(id));
        RolloutProgress p = store.progress(id).orElseThrow();
        Rollout.State to = p.stage() < 0 ? Rollout.State.PENDING
                : p.stage() == 0 && p.plan().stages().size() > 1 ? Rollout.State.CANARY : Rollout.State.WAVES;
        if (!transition(id, EnumSet.of(Rollout.State.HALTED), to,
                x -> x.withNote("resumed by the operator").withBase(c.decided(), c.rejected(), c.reverted()))) {
            throw conflict(r, "only a halted rollout can be resumed");
        }
        wake.run();
        return existing(id);
    }

    /** No further stage is sent; gateways that have it keep it (a rollback takes it back). */
    Rollout abort(long id) throws RequestException {
        Rollout r = existing(id);
        Set<Rollout.State> from = active();
        from.add(Rollout.State.HALTED);
        if (!transition(id, from, Rollout.State.ABORTED, x -> x.withNote("aborted by the operator"))) {
            throw conflict(r, "only a rollout in progress or halted can be aborted");
        }
        return existing(id);
    }

    /**
     * Takes every gateway the rollout reached back to {@code toGeneration}'s content (0: no policy) with a new
     * rollout, and marks this one rolled back.
     *
     * @param toGeneration null: what the same target had before (the newest earlier completed rollout to it),
     *                     else no policy
     * @return the new rollout, empty when the rollout had reached no gateway
     */
    Optional<Rollout> rollback(long id, Long toGeneration, RolloutPlan plan) throws RequestException {
        Rollout r = existing(id);
        if (r.state() == Rollout.State.ROLLED_BACK) {
            throw conflict(r, "this rollout was already rolled back");
        }
        long to = toGeneration != null ? toGeneration : previousGeneration(r);
        if (to > 0 && authority.history().get(to).isEmpty()) {
            adopt(to); // signed by another node: its content is in the shared store
        }
        JsonObject sections = to > 0 ? authority.sectionsOf(to) : new JsonObject();
        List<String> reached = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 10_000; page++) {
            List<RolloutOutcome> l = store.outcomes(id, null, after, PAGE);
            l.stream().filter(o -> o.state() != RolloutOutcome.State.PENDING).forEach(o -> reached.add(o.deviceId()));
            if (l.size() < PAGE) {
                break;
            }
            after = l.get(l.size() - 1).deviceId();
        }
        Set<Rollout.State> from = EnumSet.complementOf(EnumSet.of(Rollout.State.ROLLED_BACK));
        if (reached.isEmpty()) {
            transition(id, from, Rollout.State.ROLLED_BACK, x -> x.withNote("rolled back: it had reached no gateway"));
            return Optional.empty();
        }
        Rollout back = start(sections, r.target(), reached, plan, to == 0 ? "rollback of rollout " + id
                + " to no policy" : "rollback of rollout " + id + " to generation " + to, to);
        transition(id, from, Rollout.State.ROLLED_BACK, x -> x.withNote("rolled back by rollout " + back.id()
                + (to == 0 ? " (no policy)" : " (generation " + to + ")")));
        return Optional.of(back);
    }

    private long previousGeneration(Rollout r) {
        for (Rollout before : store.rollouts(r.id(), PAGE)) {
            if (before.target().equals(r.target()) && before.state() == Rollout.State.COMPLETED) {
                return store.progress(before.id()).map(RolloutProgress::restores).filter(g -> g == 0).isPresent()
                        ? 0 : before.generation();
            }
        }
        return 0;
    }

    private Rollout existing(long id) throws RequestException {
        return store.rollout(id).orElseThrow(() -> new RequestException(404, "no rollout " + id));
    }

    private static RequestException conflict(Rollout r, String why) {
        return new RequestException(409, "conflict", why + " (rollout " + r.id() + " is "
                + r.state().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }

    /** A gateway's report: its decision on the generation it was offered, and the one it runs. */
    void reported(String device, PolicyReport report) {
        List<RolloutOutcome> updates = new ArrayList<>();
        Instant at = report.at() == null ? clock.instant() : report.at();
        RolloutOutcome.State decided = switch (report.lastOutcome() == null ? "" : report.lastOutcome()) {
            case "applied" -> RolloutOutcome.State.APPLIED;
            case "rejected" -> RolloutOutcome.State.REJECTED;
            case "reverted" -> RolloutOutcome.State.REVERTED;
            default -> null;
        };
        long offered = rolloutOf(report.lastOffered());
        if (offered > 0 && decided != null) {
            updates.add(new RolloutOutcome(offered, device, decided, report.reason() == null ? "" : report.reason(), at));
        }
        long running = report.runningGeneration() != report.lastOffered() ? rolloutOf(report.runningGeneration()) : -1;
        if (running > 0) {
            updates.add(new RolloutOutcome(running, device, RolloutOutcome.State.APPLIED, "", at));
        }
        if (!updates.isEmpty() && store.updateOutcomes(updates) > 0) {
            wake.run();
        }
    }

    private long rolloutOf(long generation) {
        if (generation <= 0) {
            return -1;
        }
        return rolloutOfGeneration.computeIfAbsent(generation,
                g -> store.rolloutOfGeneration(g).map(Rollout::id).orElse(-1L));
    }

    /** Whether a staged generation may go to a gateway seen for the first time: its rollout completed. */
    boolean completed(long generation) {
        long id = rolloutOf(generation);
        return id > 0 && store.rollout(id).map(r -> r.state() == Rollout.State.COMPLETED).orElse(false);
    }

    RolloutStore store() {
        return store;
    }

    /** A rollout's outcome counts. */
    record Counts(long pending, long sent, long applied, long rejected, long reverted) {
        static Counts of(Map<RolloutOutcome.State, Long> m) {
            return new Counts(m.getOrDefault(RolloutOutcome.State.PENDING, 0L),
                    m.getOrDefault(RolloutOutcome.State.SENT, 0L), m.getOrDefault(RolloutOutcome.State.APPLIED, 0L),
                    m.getOrDefault(RolloutOutcome.State.REJECTED, 0L), m.getOrDefault(RolloutOutcome.State.REVERTED, 0L));
        }

        long decided() {
            return applied + rejected + reverted;
        }

        long total() {
            return pending + sent + decided();
        }
    }
}
