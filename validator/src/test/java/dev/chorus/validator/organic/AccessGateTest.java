package dev.chorus.validator.organic;

import dev.chorus.config.OrganicSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessGateTest {

    static final String ALPHA = "alpha-0123456789abcdef0123456789abcdef";
    static final String BETA = "beta-fedcba9876543210fedcba9876543210";

    final AtomicLong now = new AtomicLong();

    static OrganicSettings settings(int perMinute, int burst, int perKey, int total) {
        OrganicSettings d = OrganicSettings.defaults();
        return new OrganicSettings(true, d.host(), d.port(), "KEY_A,KEY_B", perMinute, burst, perKey, total,
                d.maxBodyBytes(), d.maxPromptChars(), d.maxMiners(), d.maxMinersLimit(), d.deadline(), d.maxDeadline(),
                d.explorationShare(), d.scoreWeight(), d.storePrompts(), d.returnOthers(), d.workerThreads(),
                d.scoringShare(), d.maxConnections(), d.maxConnectionsPerNetwork(), "", "");
    }

    final ScoringBudget budget = new ScoringBudget(0.25, 0);

    AccessGate gate(OrganicSettings settings) {
        return AccessGate.fromEnvironment(settings, Map.of("KEY_A", ALPHA, "KEY_B", BETA, "OTHER", "x"),
                budget, now::get);
    }

    @Test
    void admitsKnownKeysByNameAndRefusesOthers() {
        AccessGate gate = gate(settings(60, 10, 4, 8));
        assertThat(gate.keyCount()).isEqualTo(2);
        assertThat(gate.admit("Bearer " + BETA).keyName()).isEqualTo("KEY_B");
        assertThat(gate.admit("bearer " + ALPHA).keyName()).isEqualTo("KEY_A");
        assertRefused(() -> gate.admit(null), OrganicRefused.Reason.BAD_KEY, "Authorization: Bearer");
        assertRefused(() -> gate.admit("Basic " + ALPHA), OrganicRefused.Reason.BAD_KEY, "Authorization: Bearer");
        assertRefused(() -> gate.admit("Bearer x"), OrganicRefused.Reason.BAD_KEY, "invalid API key");
    }

    @Test
    void rateLimitsEachKeyOnItsOwnWithRetryAfter() {
        AccessGate gate = gate(settings(30, 2, 100, 100));
        gate.admit("Bearer " + ALPHA).release();
        gate.admit("Bearer " + ALPHA).release();
        OrganicRefused refused = assertRefused(() -> gate.admit("Bearer " + ALPHA), OrganicRefused.Reason.RATE_LIMITED, "KEY_A");
        assertThat(refused.retryAfterSeconds()).isEqualTo(2);
        gate.admit("Bearer " + BETA).release();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        gate.admit("Bearer " + ALPHA).release();
    }

    @Test
    void capsConcurrentRequestsPerKeyAndInTotalUntilReleased() {
        AccessGate gate = gate(settings(6000, 100, 2, 3));
        AccessGate.Pass a1 = gate.admit("Bearer " + ALPHA);
        gate.admit("Bearer " + ALPHA);
        assertRefused(() -> gate.admit("Bearer " + ALPHA), OrganicRefused.Reason.TOO_MANY_IN_FLIGHT, "per key");
        gate.admit("Bearer " + BETA);
        assertRefused(() -> gate.admit("Bearer " + BETA), OrganicRefused.Reason.TOO_MANY_IN_FLIGHT, "organic requests already");
        a1.release();
        a1.release();
        gate.admit("Bearer " + BETA);
        assertRefused(() -> gate.admit("Bearer " + BETA), OrganicRefused.Reason.TOO_MANY_IN_FLIGHT, "per key");
    }

    @Test
    void aRequestRefusedForConcurrencyCostsItsKeyNoToken() {
        AccessGate gate = gate(settings(1, 2, 1, 100));
        AccessGate.Pass first = gate.admit("Bearer " + ALPHA);
        for (int k = 0; k < 3; k++) {
            assertRefused(() -> gate.admit("Bearer " + ALPHA), OrganicRefused.Reason.TOO_MANY_IN_FLIGHT, "per key");
        }
        first.release();
        assertThat(gate.admit("Bearer " + ALPHA).keyName()).isEqualTo("KEY_A");
    }

    @Test
    void turnsRequestsAwayWhileTheOrganicScoringBudgetIsOverdrawn() {
        AccessGate gate = gate(settings(6000, 100, 100, 100));
        budget.spend(Duration.ofMillis(1500).toNanos(), now.get());
        OrganicRefused refused = assertRefused(() -> gate.admit("Bearer " + ALPHA), OrganicRefused.Reason.BUDGET_SPENT, "retry after 2 s");
        assertThat(refused.reason().status()).isEqualTo(429);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        gate.admit("Bearer " + ALPHA).release();
    }

    @Test
    void refusesToStartWithoutAnyKeyNamingTheVariables() {
        assertThatThrownBy(() -> AccessGate.fromEnvironment(settings(60, 10, 4, 8), Map.of("KEY_A", " "), budget, now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[KEY_A, KEY_B]");
    }

    @Test
    void refusesToStartWithAKeyShorterThan32CharactersNamingItsVariable() {
        String short31 = "k".repeat(31);
        assertThatThrownBy(() -> AccessGate.fromEnvironment(settings(60, 10, 4, 8),
                Map.of("KEY_A", ALPHA, "KEY_B", " " + short31 + " "), budget, now::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[KEY_B]").hasMessageContaining("shorter than 32 characters")
                .hasMessageContaining("openssl rand -hex 32").hasMessageNotContaining(short31);
        assertThat(AccessGate.fromEnvironment(settings(60, 10, 4, 8), Map.of("KEY_A", "k".repeat(32)), budget, now::get)
                .keyCount()).as("32 characters are enough").isEqualTo(1);
    }

    private static OrganicRefused assertRefused(Runnable call, OrganicRefused.Reason reason, String text) {
        try {
            call.run();
        } catch (OrganicRefused refused) {
            assertThat(refused.reason()).isEqualTo(reason);
            assertThat(refused.getMessage()).contains(text);
            return refused;
        }
        throw new AssertionError("expected a refusal " + reason);
    }
}
