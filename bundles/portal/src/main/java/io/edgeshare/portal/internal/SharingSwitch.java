package io.edgeshare.portal.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * Whether the running sharing policy lets this gateway share at all, so the portal can say so plainly instead
 * of showing an empty list. The policy writes {@code sharing.enabled=false} and, because the cache has no
 * on/off key, also {@code allowed.categories=[none]}; either means off.
 */
@Component(service = SharingSwitch.class, configurationPid = "edgeshare.cache")
public final class SharingSwitch {
    private volatile boolean enabled;

    @Activate
    public SharingSwitch(SharingConfig config) {
        modified(config);
    }

    @Modified
    void modified(SharingConfig config) {
        String[] categories = config.allowed_categories() == null ? new String[0] : config.allowed_categories();
        boolean markedOff = categories.length == 1 && "none".equalsIgnoreCase(categories[0].trim());
        enabled = config.sharing_enabled() && !markedOff;
    }

    /** Whether sharing is on. */
    public boolean enabled() {
        return enabled;
    }

    /** The portal's JSON view: {@code {"enabled": bool, "reason": "policy"|""}}. */
    Object json() {
        boolean on = enabled;
        return new State(on, on ? "" : "policy");
    }

    private record State(boolean enabled, String reason) {
    }
}
