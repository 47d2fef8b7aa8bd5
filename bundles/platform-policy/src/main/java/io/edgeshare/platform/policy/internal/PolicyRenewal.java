package io.edgeshare.platform.policy.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gateways' policy documents from expiring: applies {@code policy.validity} to the authority and
 * checks, every tenth of it (at most hourly), whether a current document needs re-signing.
 */
@Component(configurationPid = PlatformPolicyConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
public final class PolicyRenewal {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRenewal.class);
    static final Duration MIN_VALIDITY = Duration.ofSeconds(30);

    private final ScheduledExecutorService timer;

    @Activate
    public PolicyRenewal(@Reference PahoPolicyService service, PlatformPolicyConfig config) {
        PolicyAuthority authority = service.authority();
        Duration validity = validity(config.policy_validity());
        authority.validity(validity);
        long tick = Math.max(1, Math.min(validity.dividedBy(10).toSeconds(), 3600));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgeshare-policy-renewal");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                authority.renewDue();
            } catch (RuntimeException e) {
                LOG.error("edgeshare.platform.policy: renewing policy documents failed: {}", e.toString());
            }
        }, Math.min(tick, 5), tick, TimeUnit.SECONDS);
        LOG.info("edgeshare.platform.policy: policy documents valid for {}, checked every {} s", validity, tick);
    }

    static Duration validity(String text) {
        try {
            Duration d = Duration.parse(text.trim());
            if (d.compareTo(MIN_VALIDITY) >= 0) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        LOG.error("edgeshare.platform.policy: policy.validity '{}' is not an ISO-8601 duration of at least {};"
                + " using {}", text, MIN_VALIDITY, PolicyAuthority.DEFAULT_VALIDITY);
        return PolicyAuthority.DEFAULT_VALIDITY;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
