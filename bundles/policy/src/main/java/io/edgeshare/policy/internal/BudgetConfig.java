package io.edgeshare.policy.internal;

/**
 * The device's budget (PID {@code edgeshare.budget}, shipped by each profile in gateway-config/): the most a
 * platform policy may raise the caps that keep the gateway inside its memory. A policy asking for more is
 * rejected ({@code over-budget}), never applied. 0: no ceiling.
 */
public @interface BudgetConfig {
    String PID = "edgeshare.budget";

    /** Ceiling of {@code sharing.maxConcurrentDownloads} (the cache's {@code max.concurrent.downloads}). */
    int max_concurrent_downloads() default 0;

    /** Ceiling of {@code audio.maxListeners} per channel; a policy's 0 (no limit) is above any ceiling. */
    int max_listeners() default 0;
}
