package io.edgeshare.platform.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.api.fleet.BoundingBox;
import io.edgeshare.api.fleet.CatalogItem;
import io.edgeshare.api.fleet.CatalogOutcome;
import io.edgeshare.api.fleet.CatalogUpdate;
import io.edgeshare.api.fleet.FleetChange;
import io.edgeshare.api.fleet.FleetWrite;
import io.edgeshare.api.fleet.Gateway;
import io.edgeshare.api.fleet.GatewayBirth;
import io.edgeshare.api.fleet.GatewayPage;
import io.edgeshare.api.fleet.GatewayQuery;
import io.edgeshare.api.fleet.Rollout;
import io.edgeshare.api.fleet.RolloutOutcome;
import io.edgeshare.api.fleet.RolloutPlan;
import io.edgeshare.api.fleet.RolloutProgress;
import io.edgeshare.api.fleet.StoredPolicy;

/** What every database behind {@link JdbcFleetStore} must do; run against H2 and PostgreSQL. */
@Timeout(120)
abstract class FleetStoreContract {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    JdbcFleetStore store;

    /** A store on a fresh, empty database. */
    abstract JdbcFleetStore openFresh() throws Exception;

    /** A second store on the same database as the last {@link #openFresh()} (another node, or a restart). */
    abstract JdbcFleetStore openSame() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openFresh();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static GatewayBirth birth(String id, long seq, double lat, double lon) {
        return new GatewayBirth(id, seq, T0.plusSeconds(seq), "edgeshare-home-gateway", "home-gateway", "0.1.0",
                new GeoLocation(lat, lon), "http://10.0.0.1:8081/", List.of("cache", "audio"));
    }

    static CatalogItem item(String id) {
        return new CatalogItem(id, "Title " + id, "video/mp4", 1000, "ab".repeat(32), "video");
    }

    @Test
    void aBirthIsStoredWithEverythingItAnnounced() {
        assertTrue(store.birth(birth("gw-louvre", 12, 48.8611, 2.3359)));
        Gateway g = store.gateway("gw-louvre").orElseThrow();
        assertEquals(new Gateway("gw-louvre", "home-gateway", "", "edgeshare-home-gateway", "0.1.0",
                new GeoLocation(48.8611, 2.3359), "http://10.0.0.1:8081/", List.of("cache", "audio"), true, 12,
                T0.plusSeconds(12), -1, g.version()), g);
    }

    @Test
    void aBatchOfBirthsAcceptsEachByTheSeqRuleWithItsOwnVersion() {
        store.birth(birth("gw-b", 9, 1, 1));
        long start = store.version();
        assertEquals(List.of(true, false, true, true), store.births(List.of(birth("gw-a", 1, 1, 1),
                birth("gw-b", 8, 1, 1), birth("gw-c", 1, 1, 1), birth("gw-a", 2, 1, 1))));
        List<FleetChange> changes = store.changesSince(start, 10);
        assertEquals(List.of("gw-c", "gw-a"), changes.stream().map(FleetChange::deviceId).toList());
        assertEquals(start + 3, store.version(), "three accepted births, three versions");
        assertEquals(2, store.gateway("gw-a").orElseThrow().birthSeq());
    }

    @Test
    void mixedWritesAreDecidedInOrderInOneCallAndARefusedOneLeavesNothing() {
        store.birth(birth("gw-b", 9, 1, 1));
        long start = store.version();
        List<FleetWrite.Outcome> outcomes = store.write(List.of(
                new FleetWrite.Birth(birth("gw-a", 1, 1, 1)),
                new FleetWrite.Catalog(CatalogUpdate.full("gw-a", 5, List.of(item("x"), item("y")), T0)),
                new FleetWrite.Birth(birth("gw-b", 8, 1, 1)), // older than gw-b's birth: refused
                new FleetWrite.Catalog(CatalogUpdate.delta("gw-a", 4, 6, List.of(item("z")), List.of(), T0)),
                new FleetWrite.Catalog(CatalogUpdate.delta("gw-a", 5, 6, List.of(item("z")), List.of("x"), T0)),
                new FleetWrite.Death("gw-b", 7, T0), // a late will from an older session: refused
                new FleetWrite.Death("gw-b", 9, T0)));
        assertEquals(List.of(new FleetWrite.Outcome(true, null), new FleetWrite.Outcome(true, CatalogOutcome.APPLIED),
                new FleetWrite.Outcome(false, null), new FleetWrite.Outcome(false, CatalogOutcome.NEEDS_FULL),
                new FleetWrite.Outcome(true, CatalogOutcome.APPLIED), new FleetWrite.Outcome(false, null),
                new FleetWrite.Outcome(true, null)), outcomes);
        assertEquals(List.of(item("y"), item("z")), store.catalog("gw-a").orElseThrow().items());
        assertEquals(6, store.catalog("gw-a").orElseThrow().rev());
        assertTrue(store.gateway("gw-a").orElseThrow().online());
        assertFalse(store.gateway("gw-b").orElseThrow().online());
        assertEquals(start + 4, store.version(), "four accepted writes, four versions; the refused took none");
        assertEquals(List.of("gw-a", "gw-b"),
                store.changesSince(start, 10).stream().map(FleetChange::deviceId).toList());
    }

    @Test
    void aBadIdInMixedWritesFailsTheCallBeforeAnythingIsWritten() {
        long start = store.version();
        assertThrows(IllegalArgumentException.class, () -> store.write(List.of(
                new FleetWrite.Birth(birth("gw-a", 1, 1, 1)), new FleetWrite.Death("not a device id!", 1, T0))));
        assertTrue(store.gateway("gw-a").isEmpty());
        assertEquals(start, store.version());
    }

    @Test
    void aBatchOfOnlyStaleBirthsChangesNothing() {
        store.birth(birth("gw-b", 9, 1, 1));
        long start = store.version();
        assertEquals(List.of(false), store.births(List.of(birth("gw-b", 3, 1, 1))));
        assertEquals(start, store.version());
    }

    @Test
    void aBatchOfReportsKeepsEachLastDocument() {
        store.birth(birth("gw-a", 1, 1, 1));
        store.birth(birth("gw-b", 1, 1, 1));
        store.decommission("gw-b", T0);
        assertEquals(List.of(true, false), store.reports(List.of(
                new io.edgeshare.api.fleet.GatewayReport("gw-a", T0.plusSeconds(5), "{\"n\":5}"),
                new io.edgeshare.api.fleet.GatewayReport("gw-b", T0.plusSeconds(5), "{}"))));
        assertEquals("{\"n\":5}", store.lastReport("gw-a").orElseThrow().document());
    }

    @Test
    void aDeathOfTheCurrentBirthTakesTheGatewayOffline() {
        store.birth(birth("gw-a", 5, 1, 1));
        assertTrue(store.death("gw-a", 5, T0.plusSeconds(60)));
        assertFalse(store.gateway("gw-a").orElseThrow().online());
    }

    @Test
    void aLateWillFromAnOlderSessionIsRefused() {
        store.birth(birth("gw-a", 6, 1, 1));
        assertFalse(store.death("gw-a", 5, T0.plusSeconds(60)));
        assertTrue(store.gateway("gw-a").orElseThrow().online());
    }

    @Test
    void anOlderBirthDoesNotReplaceANewerOne() {
        store.birth(birth("gw-a", 7, 1, 1));
        assertFalse(store.birth(birth("gw-a", 6, 2, 2)));
        assertEquals(7, store.gateway("gw-a").orElseThrow().birthSeq());
    }

    @Test
    void aGatewayWithoutLocationHasNone() {
        store.birth(new GatewayBirth("gw-x", 1, T0, "m", "mall-ap", "f", null, "", List.of()));
        assertNull(store.gateway("gw-x").orElseThrow().location());
    }

    @Test
    void theLastReportIsKept() {
        store.birth(birth("gw-a", 1, 1, 1));
        store.report("gw-a", "{\"n\":1}", T0.plusSeconds(10));
        store.report("gw-a", "{\"n\":2}", T0.plusSeconds(20));
        assertEquals("{\"n\":2}", store.lastReport("gw-a").orElseThrow().document());
        assertEquals(T0.plusSeconds(20), store.gateway("gw-a").orElseThrow().lastSeen());
    }

    @Test
    void aReportFromAnUnknownGatewayRegistersItOffline() {
        assertTrue(store.report("gw-new", "{}", T0));
        assertFalse(store.gateway("gw-new").orElseThrow().online());
    }

    @Test
    void aDeltaOnTheStoredRevisionIsApplied() {
        store.birth(birth("gw-a", 1, 1, 1));
        assertEquals(CatalogOutcome.APPLIED, store.putCatalog(CatalogUpdate.full("gw-a", 37,
                List.of(item("x"), item("y")), T0)));
        assertEquals(CatalogOutcome.APPLIED, store.putCatalog(CatalogUpdate.delta("gw-a", 37, 38,
                List.of(item("z")), List.of("x"), T0)));
        assertEquals(List.of(item("y"), item("z")), store.catalog("gw-a").orElseThrow().items());
        assertEquals(38, store.catalog("gw-a").orElseThrow().rev());
    }

    @Test
    void aDeltaFromAnotherRevisionAsksForAFullListAndChangesNothing() {
        store.birth(birth("gw-a", 1, 1, 1));
        store.putCatalog(CatalogUpdate.full("gw-a", 37, List.of(item("x")), T0));
        assertEquals(CatalogOutcome.NEEDS_FULL, store.putCatalog(CatalogUpdate.delta("gw-a", 39, 40,
                List.of(item("z")), List.of("x"), T0)));
        assertEquals(List.of(item("x")), store.catalog("gw-a").orElseThrow().items());
    }

    @Test
    void anOlderFullListOfTheSameBirthIsStale() {
        store.birth(birth("gw-a", 1, 1, 1));
        store.putCatalog(CatalogUpdate.full("gw-a", 37, List.of(item("x")), T0));
        assertEquals(CatalogOutcome.STALE, store.putCatalog(CatalogUpdate.full("gw-a", 36, List.of(), T0)));
        assertEquals(37, store.catalog("gw-a").orElseThrow().rev());
    }

    @Test
    void aRestartedGatewaysFirstFullListReplacesAHigherRevision() {
        store.birth(birth("gw-a", 1, 1, 1));
        store.putCatalog(CatalogUpdate.full("gw-a", 37, List.of(item("x")), T0));
        store.birth(birth("gw-a", 2, 1, 1)); // its revision counter restarted with it
        assertEquals(CatalogOutcome.APPLIED, store.putCatalog(CatalogUpdate.full("gw-a", 1, List.of(item("q")), T0)));
        assertEquals(List.of(item("q")), store.catalog("gw-a").orElseThrow().items());
    }

    @Test
    void decommissioningRemovesTheGatewayWithItsReportAndCatalog() {
        store.birth(birth("gw-a", 3, 1, 1));
        store.report("gw-a", "{}", T0);
        store.putCatalog(CatalogUpdate.full("gw-a", 1, List.of(item("x")), T0));
        assertTrue(store.decommission("gw-a", T0.plusSeconds(100)));
        assertTrue(store.gateway("gw-a").isEmpty());
        assertTrue(store.lastReport("gw-a").isEmpty());
        assertTrue(store.catalog("gw-a").isEmpty());
    }

    @Test
    void aStaleRetainedBirthDoesNotBringADecommissionedGatewayBack() {
        store.birth(birth("gw-a", 3, 1, 1));
        store.decommission("gw-a", T0);
        assertFalse(store.birth(birth("gw-a", 3, 1, 1)));
        assertFalse(store.report("gw-a", "{}", T0));
        assertEquals(CatalogOutcome.DECOMMISSIONED, store.putCatalog(CatalogUpdate.full("gw-a", 1, List.of(), T0)));
        assertTrue(store.gateway("gw-a").isEmpty());
    }

    @Test
    void aNewerBirthReturnsADecommissionedGateway() {
        store.birth(birth("gw-a", 3, 1, 1));
        store.decommission("gw-a", T0);
        assertTrue(store.birth(birth("gw-a", 4, 1, 1)));
        assertTrue(store.gateway("gw-a").orElseThrow().online());
    }

    @Test
    void decommissioningAnUnknownGatewaySaysSo() {
        assertFalse(store.decommission("gw-nobody", T0));
    }

    @Test
    void aBadDeviceIdIsRefusedBeforeItReachesTheDatabase() {
        assertThrows(IllegalArgumentException.class, () -> store.birth(birth("gw a'; DROP TABLE gateways;--", 1, 1, 1)));
    }

    @Test
    void pagesCoverTheFleetOnceInDeviceIdOrder() {
        for (int i = 0; i < 25; i++) {
            store.birth(birth(String.format("gw-%03d", i), 1, 1, 1));
        }
        List<String> seen = new ArrayList<>();
        GatewayQuery q = GatewayQuery.firstPage(10);
        int pages = 0;
        while (q != null) {
            GatewayPage page = store.gateways(q);
            assertEquals(25, page.total());
            page.gateways().forEach(g -> seen.add(g.deviceId()));
            pages++;
            q = page.nextAfter() == null ? null : q.next(page.nextAfter());
        }
        assertEquals(3, pages);
        assertEquals(25, seen.size());
        assertEquals(seen.stream().sorted().toList(), seen);
        assertEquals(25, new HashSet<>(seen).size());
    }

    @Test
    void searchFiltersByStatusProfileAndText() {
        store.birth(birth("gw-louvre", 1, 1, 1));
        store.birth(birth("gw-orsay", 1, 1, 1));
        store.death("gw-orsay", 1, T0);
        store.birth(new GatewayBirth("mall-1", 1, T0, "edgeshare-mall-ap", "mall-ap", "f", null, "", List.of()));
        assertEquals(List.of("gw-louvre", "mall-1"), ids(new GatewayQuery(GatewayQuery.Status.ONLINE, null, null,
                null, null, 50)));
        assertEquals(List.of("mall-1"), ids(new GatewayQuery(null, "mall-ap", null, null, null, 50)));
        assertEquals(List.of("gw-orsay"), ids(new GatewayQuery(null, null, "ORSAY", null, null, 50)));
        assertEquals(List.of(), ids(new GatewayQuery(null, null, "%", null, null, 50)), "% is a literal");
    }

    @Test
    void anAreaAcrossTheAntimeridianFindsBothSides() {
        store.birth(birth("gw-fiji", 1, -17.7, 179.9));
        store.birth(birth("gw-samoa", 1, -13.8, -171.8));
        store.birth(birth("gw-paris", 1, 48.85, 2.35));
        assertEquals(List.of("gw-fiji", "gw-samoa"), ids(new GatewayQuery(null, null, null,
                new BoundingBox(-20, 170, -10, -170), null, 50)));
        assertEquals(List.of("gw-paris"), ids(new GatewayQuery(null, null, null,
                new BoundingBox(48, 2, 49, 3), null, 50)));
    }

    private List<String> ids(GatewayQuery q) {
        return store.gateways(q).gateways().stream().map(Gateway::deviceId).toList();
    }

    @Test
    void anotherNodeFollowsEveryChangeInOrderIncludingRemovals() throws Exception {
        long start = store.version();
        store.birth(birth("gw-a", 1, 1, 1));
        store.birth(birth("gw-b", 1, 1, 1));
        store.putCatalog(CatalogUpdate.full("gw-a", 1, List.of(item("x")), T0));
        store.decommission("gw-b", T0);
        try (JdbcFleetStore other = openSame()) {
            List<FleetChange> changes = other.changesSince(start, 100);
            assertEquals(List.of("gw-a", "gw-b"), changes.stream().map(FleetChange::deviceId).toList());
            assertEquals(1, changes.get(0).gateway().catalogRev());
            assertTrue(changes.get(1).removed());
            assertTrue(changes.get(0).version() < changes.get(1).version());
            assertEquals(other.version(), changes.get(1).version());
            assertEquals(List.of(), other.changesSince(changes.get(1).version(), 100));
        }
    }

    @Test
    void theChangeFeedHonoursItsLimit() {
        long start = store.version();
        for (int i = 0; i < 5; i++) {
            store.birth(birth("gw-" + i, 1, 1, 1));
        }
        List<FleetChange> first = store.changesSince(start, 3);
        assertEquals(List.of("gw-0", "gw-1", "gw-2"), first.stream().map(FleetChange::deviceId).toList());
        assertEquals(List.of("gw-3", "gw-4"), store.changesSince(first.get(2).version(), 3).stream()
                .map(FleetChange::deviceId).toList());
    }

    @Test
    void concurrentWritersNeverShareAVersionNorLoseAWrite() throws Exception {
        long start = store.version();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "gw-" + i;
                done.add(pool.submit(() -> store.birth(birth(id, 1, 1, 1))
                        & store.report(id, "{}", T0) & store.putCatalog(CatalogUpdate.full(id, 1,
                                List.of(item("x")), T0)) == CatalogOutcome.APPLIED));
            }
            for (Future<Boolean> f : done) {
                assertTrue(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        List<FleetChange> changes = store.changesSince(start, 10_000);
        assertEquals(200, changes.size());
        Set<Long> versions = new HashSet<>();
        changes.forEach(c -> versions.add(c.version()));
        assertEquals(200, versions.size());
        assertEquals(200, store.gateways(GatewayQuery.firstPage(1)).total());
    }

    @Test
    void everythingSurvivesARestart() throws Exception {
        store.birth(birth("gw-a", 4, 1, 1));
        store.putCatalog(CatalogUpdate.full("gw-a", 9, List.of(item("x")), T0));
        Gateway before = store.gateway("gw-a").orElseThrow();
        store.close();
        store = openSame();
        assertEquals(Migrations.FILES.size(), store.awaitReady(), "schema at the newest version, migrations not applied twice");
        assertEquals(before, store.gateway("gw-a").orElseThrow());
        assertEquals(List.of(item("x")), store.catalog("gw-a").orElseThrow().items());
    }

    @Test
    void aRolloutWithItsOutcomesRoundTrips() {
        assertTrue(store.savePolicy(new StoredPolicy(7, "{\"signed\":true}", T0)));
        Rollout r = store.createRollout(7, new Rollout.Target(Rollout.Target.Kind.GROUP, "paris"), 10, T0);
        assertTrue(store.updateRollout(r.id(), Rollout.State.CANARY, T0.plusSeconds(5)));
        store.recordOutcome(new RolloutOutcome(r.id(), "gw-b", RolloutOutcome.State.SENT, "", T0));
        store.recordOutcome(new RolloutOutcome(r.id(), "gw-a", RolloutOutcome.State.SENT, "", T0));
        store.recordOutcome(new RolloutOutcome(r.id(), "gw-b", RolloutOutcome.State.REJECTED, "bad signature",
                T0.plusSeconds(9)));
        assertEquals(new Rollout(r.id(), 7, new Rollout.Target(Rollout.Target.Kind.GROUP, "paris"), 10,
                Rollout.State.CANARY, T0, T0.plusSeconds(5)), store.rollout(r.id()).orElseThrow());
        assertEquals(List.of(new RolloutOutcome(r.id(), "gw-a", RolloutOutcome.State.SENT, "", T0),
                new RolloutOutcome(r.id(), "gw-b", RolloutOutcome.State.REJECTED, "bad signature", T0.plusSeconds(9))),
                store.outcomes(r.id()));
        assertEquals("{\"signed\":true}", store.policy(7).orElseThrow().document());
    }

    @Test
    void aPolicyGenerationIsStoredOnce() {
        assertTrue(store.savePolicy(new StoredPolicy(3, "{}", T0)));
        assertFalse(store.savePolicy(new StoredPolicy(3, "{\"other\":1}", T0)));
        assertEquals("{}", store.policy(3).orElseThrow().document());
    }

    @Test
    void aRollbackToNoPolicyIsARolloutOfGenerationZero() {
        Rollout r = store.createRollout(0, new Rollout.Target(Rollout.Target.Kind.ALL, ""), 100, T0);
        assertEquals(0, store.rollout(r.id()).orElseThrow().generation());
        assertEquals(List.of(r), store.rollouts(10));
    }

    @Test
    void anOutcomeForAnUnknownRolloutIsRefused() {
        assertFalse(store.recordOutcome(new RolloutOutcome(999, "gw-a", RolloutOutcome.State.APPLIED, "", T0)));
    }

    @Test
    void aStagedRolloutKeepsItsPlanProgressAndTargets() {
        RolloutPlan plan = new RolloutPlan(List.of(10, 50, 100), 30, 5, 7, 3);
        Rollout r = store.createRollout(4, new Rollout.Target(Rollout.Target.Kind.PROFILE, "mall"), plan, -1,
                List.of("gw-b", "gw-a", "gw-c"), T0);
        assertEquals(10, r.canaryPercent());
        RolloutProgress p = store.progress(r.id()).orElseThrow();
        assertEquals(new RolloutProgress(r.id(), plan, -1, T0, -1, "", 0, 0, 0), p);
        assertEquals(java.util.Map.of(RolloutOutcome.State.PENDING, 3L), store.outcomeCounts(r.id()));
        assertTrue(store.updateRollout(Rollout.State.HALTED, p.withStage(1, T0.plusSeconds(3)).withNote("too many")
                .withBase(4, 2, 1), T0.plusSeconds(4)));
        assertEquals(new RolloutProgress(r.id(), plan, 1, T0.plusSeconds(3), -1, "too many", 4, 2, 1),
                store.progress(r.id()).orElseThrow());
        assertEquals(Rollout.State.HALTED, store.rollout(r.id()).orElseThrow().state());
        assertEquals(List.of(), store.activeRollouts());
    }

    @Test
    void outcomesAreRecordedOnlyForTargetedGatewaysAndPaged() {
        Rollout r = store.createRollout(5, new Rollout.Target(Rollout.Target.Kind.ALL, ""), RolloutPlan.immediate(),
                -1, List.of("gw-a", "gw-b", "gw-c"), T0);
        assertEquals(2, store.updateOutcomes(List.of(
                new RolloutOutcome(r.id(), "gw-a", RolloutOutcome.State.APPLIED, "", T0),
                new RolloutOutcome(r.id(), "gw-x", RolloutOutcome.State.APPLIED, "", T0),
                new RolloutOutcome(r.id(), "gw-c", RolloutOutcome.State.REJECTED, "invalid: x", T0))));
        assertEquals(java.util.Map.of(RolloutOutcome.State.APPLIED, 1L, RolloutOutcome.State.REJECTED, 1L,
                RolloutOutcome.State.PENDING, 1L), store.outcomeCounts(r.id()));
        assertEquals(1, store.updateOutcomes(List.of(
                new RolloutOutcome(r.id(), "gw-a", RolloutOutcome.State.SENT, "", T0),
                new RolloutOutcome(r.id(), "gw-b", RolloutOutcome.State.SENT, "", T0))),
                "SENT moves only the pending gateway: a decision recorded first stays");
        List<RolloutOutcome> first = store.outcomes(r.id(), null, null, 2);
        assertEquals(List.of("gw-a", "gw-b"), first.stream().map(RolloutOutcome::deviceId).toList());
        assertEquals(RolloutOutcome.State.APPLIED, first.get(0).state());
        assertEquals(List.of("gw-c"), store.outcomes(r.id(), null, "gw-b", 2).stream()
                .map(RolloutOutcome::deviceId).toList());
        assertEquals(List.of("gw-b"), store.outcomes(r.id(), RolloutOutcome.State.SENT, null, 10).stream()
                .map(RolloutOutcome::deviceId).toList());
    }

    @Test
    void rolloutsArePagedNewestFirstAndFoundByGeneration() {
        Rollout a = store.createRollout(1, new Rollout.Target(Rollout.Target.Kind.ALL, ""), RolloutPlan.immediate(),
                -1, List.of("gw-a"), T0);
        Rollout b = store.createRollout(2, new Rollout.Target(Rollout.Target.Kind.DEVICE, "gw-a"),
                RolloutPlan.immediate(), 0, List.of("gw-a"), T0);
        assertEquals(List.of(b), store.rollouts(Long.MAX_VALUE, 1));
        assertEquals(List.of(a), store.rollouts(b.id(), 1));
        assertEquals(List.of(a, b), store.activeRollouts());
        assertEquals(b, store.rolloutOfGeneration(2).orElseThrow());
        assertEquals(0, store.progress(b.id()).orElseThrow().restores());
    }

    private static String doc(int n) {
        return "{\"n\":" + n + "}";
    }

    private List<Integer> historyNumbers(Instant before, int limit) {
        return store.reportHistory("gw-louvre", before, limit).stream()
                .map(r -> Integer.parseInt(r.document().substring(5, r.document().length() - 1))) // the store keeps it as is
                .toList();
    }

    @Test
    void theReportHistoryKeepsOnlyTheNewestHundredNewestFirst() {
        store.birth(birth("gw-louvre", 1, 48.86, 2.33));
        List<io.edgeshare.api.fleet.GatewayReport> batch = new ArrayList<>();
        for (int n = 0; n < 105; n++) {
            batch.add(new io.edgeshare.api.fleet.GatewayReport("gw-louvre", T0.plusSeconds(10 + n), doc(n)));
        }
        store.reports(batch.subList(0, 50));
        store.reports(batch.subList(50, 105));
        List<Integer> kept = historyNumbers(null, 1000);
        assertEquals(100, kept.size());
        assertEquals(104, kept.get(0));
        assertEquals(5, kept.get(99));
    }

    @Test
    void oneBatchFromAnUnknownGatewayKeepsItsNewestHundred() {
        Instant t0 = Instant.now().minusSeconds(600);
        store.reports(louvreReports(130, t0::plusSeconds));
        assertEquals(java.util.stream.IntStream.range(30, 130).map(n -> 159 - n).boxed().toList(),
                historyNumbers(null, 1000));
    }

    @Test
    void aLateOlderReportGoesIntoTheHistoryButNotTheLastReport() {
        store.birth(birth("gw-louvre", 1, 48.86, 2.33));
        store.report("gw-louvre", doc(2), T0.plusSeconds(20));
        store.report("gw-louvre", doc(1), T0.plusSeconds(10));
        assertEquals(doc(2), store.lastReport("gw-louvre").orElseThrow().document());
        assertEquals(T0.plusSeconds(20), store.gateway("gw-louvre").orElseThrow().lastSeen());
        assertEquals(List.of(2, 1), historyNumbers(null, 10));
    }

    @Test
    void reportsOfTheSameMillisecondKeepTheLastHundredToArrive() {
        store.birth(birth("gw-louvre", 1, 48.86, 2.33));
        store.reports(louvreReports(103, n -> T0.plusSeconds(10)));
        assertEquals(java.util.stream.IntStream.range(3, 103).map(n -> 105 - n).boxed().toList(),
                historyNumbers(null, 1000));
    }

    /** Reports 0 to count - 1 of gw-louvre, report n received at {@code at(n)}. */
    private static List<io.edgeshare.api.fleet.GatewayReport> louvreReports(int count,
            java.util.function.LongFunction<Instant> at) {
        List<io.edgeshare.api.fleet.GatewayReport> batch = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            batch.add(new io.edgeshare.api.fleet.GatewayReport("gw-louvre", at.apply(n), doc(n)));
        }
        return batch;
    }

    @Test
    void aBirthAfterTheLastReportIsWhenItWasLastSeen() {
        store.birth(birth("gw-a", 1, 1, 1));
        store.report("gw-a", "{}", T0.plusSeconds(10));
        store.birth(new GatewayBirth("gw-a", 2, T0.plusSeconds(30), "m", "mall-ap", "f", null, "", List.of()));
        assertEquals(T0.plusSeconds(30), store.gateway("gw-a").orElseThrow().lastSeen());
    }

    @Test
    void theReportHistoryDropsReportsPastTheMaximumAge() {
        store.birth(birth("gw-louvre", 1, 48.86, 2.33));
        store.report("gw-louvre", doc(1), T0.plusSeconds(10));
        store.report("gw-louvre", doc(2), T0.plusSeconds(10).plus(java.time.Duration.ofHours(23)));
        store.report("gw-louvre", doc(3), T0.plusSeconds(11).plus(java.time.Duration.ofHours(24)));
        assertEquals(List.of(3, 2), historyNumbers(null, 10));
    }

    @Test
    void theReportHistoryIsPagedBackwardsFromBefore() {
        store.birth(birth("gw-louvre", 1, 48.86, 2.33));
        for (int n = 0; n < 5; n++) {
            store.report("gw-louvre", doc(n), T0.plusSeconds(10 + n));
        }
        assertEquals(List.of(4, 3), historyNumbers(null, 2));
        assertEquals(List.of(2, 1), historyNumbers(T0.plusSeconds(13), 2));
        assertEquals(List.of(0), historyNumbers(T0.plusSeconds(11), 2));
        assertEquals(List.of(), store.reportHistory("gw-rivoli", null, 10));
    }

    @Test
    void decommissioningRemovesTheReportHistory() {
        store.birth(birth("gw-louvre", 1, 48.86, 2.33));
        store.report("gw-louvre", doc(1), T0.plusSeconds(10));
        store.decommission("gw-louvre", T0.plusSeconds(20));
        assertEquals(List.of(), store.reportHistory("gw-louvre", null, 10));
    }

    @Test
    void aGatewaysPolicyHistoryIsItsOutcomeInEachRolloutNewestFirst() {
        Rollout a = store.createRollout(1, new Rollout.Target(Rollout.Target.Kind.ALL, ""), RolloutPlan.immediate(),
                -1, List.of("gw-a", "gw-b"), T0);
        Rollout b = store.createRollout(2, new Rollout.Target(Rollout.Target.Kind.DEVICE, "gw-a"),
                RolloutPlan.immediate(), -1, List.of("gw-a"), T0.plusSeconds(5));
        store.createRollout(3, new Rollout.Target(Rollout.Target.Kind.DEVICE, "gw-b"), RolloutPlan.immediate(), -1,
                List.of("gw-b"), T0.plusSeconds(6));
        store.updateOutcomes(List.of(new RolloutOutcome(a.id(), "gw-a", RolloutOutcome.State.APPLIED, "", T0),
                new RolloutOutcome(b.id(), "gw-a", RolloutOutcome.State.REJECTED, "invalid: x", T0.plusSeconds(6))));
        List<RolloutOutcome> history = store.deviceOutcomes("gw-a", 10);
        assertEquals(List.of(b.id(), a.id()), history.stream().map(RolloutOutcome::rolloutId).toList());
        assertEquals(RolloutOutcome.State.REJECTED, history.get(0).state());
        assertEquals("invalid: x", history.get(0).detail());
        assertEquals(List.of(b.id()), store.deviceOutcomes("gw-a", 1).stream().map(RolloutOutcome::rolloutId)
                .toList(), "limited to the newest");
    }
}
