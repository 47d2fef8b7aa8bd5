package io.edgeshare.platform.session.internal;

import java.io.IOException;
import java.util.Dictionary;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before this PID existed, fleet ({@code edgeshare.platform.fleet}) and policy ({@code edgeshare.platform.policy})
 * each had {@code broker.uri}, {@code username} and {@code password}. While this PID has no {@code broker.uri}
 * key, the old keys are used (fleet's first), with a log line saying to move them.
 */
final class LegacyKeys {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyKeys.class);
    static final String[] OLD_PIDS = { "edgeshare.platform.fleet", "edgeshare.platform.policy" };

    private LegacyKeys() {
    }

    /** @return {uri, username, password} from an old PID, or null when none has a broker.uri */
    static String[] find(ConfigurationAdmin admin) {
        if (admin == null) {
            return null;
        }
        for (String pid : OLD_PIDS) {
            try {
                Configuration[] found = admin.listConfigurations("(service.pid=" + pid + ")");
                if (found == null || found.length == 0 || found[0].getProperties() == null) {
                    continue;
                }
                Dictionary<String, Object> p = found[0].getProperties();
                String uri = text(p.get("broker.uri"));
                if (!uri.isBlank()) {
                    LOG.warn("{}: using broker.uri, username and password of the old PID {}; move them to PID {}"
                            + " (the old keys are read only while {} has no broker.uri)", SessionConfig.PID, pid,
                            SessionConfig.PID, SessionConfig.PID);
                    return new String[] { uri, text(p.get("username")), text(p.get("password")) };
                }
            } catch (IOException | InvalidSyntaxException e) {
                LOG.debug("{}: old PID {} not read: {}", SessionConfig.PID, pid, e.getMessage());
            }
        }
        return null;
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
