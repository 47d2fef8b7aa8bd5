package io.edgeshare.policy.internal;

import java.util.Optional;

/** The device's ceilings ({@link BudgetConfig}) checked against a policy before anything is applied. */
record Budget(int maxConcurrentDownloads, int maxListeners) {

    static final Budget NONE = new Budget(0, 0);

    static Budget of(BudgetConfig c) {
        return new Budget(Math.max(0, c.max_concurrent_downloads()), Math.max(0, c.max_listeners()));
    }

    /** Why the policy asks for more than the device may give, or empty when it fits. */
    Optional<PolicyException> exceededBy(SharingPolicy p) {
        Integer downloads = p.sharing() == null ? null : p.sharing().maxConcurrentDownloads();
        if (maxConcurrentDownloads > 0 && downloads != null && downloads > maxConcurrentDownloads) {
            return Optional.of(over("sharing.maxConcurrentDownloads " + downloads, maxConcurrentDownloads,
                    "max.concurrent.downloads"));
        }
        Integer listeners = p.audio() == null ? null : p.audio().maxListeners();
        if (maxListeners > 0 && listeners != null && (listeners == 0 || listeners > maxListeners)) {
            return Optional.of(over("audio.maxListeners " + (listeners == 0 ? "0 (no limit)" : listeners), maxListeners,
                    "max.listeners"));
        }
        return Optional.empty();
    }

    private static PolicyException over(String asked, int ceiling, String key) {
        return new PolicyException(PolicyException.OVER_BUDGET, asked + " is above this device's budget of "
                + ceiling + " (edgeshare.budget " + key + ", set by its profile)");
    }
}
