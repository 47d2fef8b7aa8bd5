package io.edgeshare.platform.session.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.broker.PlatformBrokerLogin;

/**
 * Which broker the session connects to, and as whom: the configuration's {@code broker.uri} with its
 * {@code username}/{@code password} when given, else the embedded broker's {@link PlatformBrokerLogin} service.
 * An empty or unresolved ({@code ${...}}) value is never replaced by a default broker: it is reported once per
 * activation and nothing connects (issue 13).
 */
record BrokerLogin(String uri, String username, String password) {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLogin.class);
    private static final String PID = SessionConfig.PID;

    /** The login to use, or null (logged) when there is none. */
    static BrokerLogin resolve(String uri, String username, String password, PlatformBrokerLogin embedded) {
        if (unresolved(uri) || unresolved(username) || unresolved(password)) {
            LOG.warn("{}: not connecting: PID {} has an unresolved ${...} value in broker.uri, username or password;"
                    + " set them, or leave broker.uri and password empty to use the embedded broker", PID, PID);
            return null;
        }
        if (!uri.isBlank()) {
            return new BrokerLogin(uri.strip(), username, password);
        }
        if (embedded != null) {
            LOG.info("{}: using the embedded broker at {} (PID {} key broker.uri is empty)", PID, embedded.uri(), PID);
            return new BrokerLogin(embedded.uri(), embedded.username(), embedded.password());
        }
        LOG.info("{}: waiting for a broker: PID {} key broker.uri is empty and no embedded broker runs yet", PID, PID);
        return null;
    }

    private static boolean unresolved(String value) {
        return value != null && value.contains("${");
    }

    @Override
    public String toString() {
        return "BrokerLogin[" + uri + " as " + username + "]";
    }
}
