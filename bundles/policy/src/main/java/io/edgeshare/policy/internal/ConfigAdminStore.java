package io.edgeshare.policy.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** {@link ConfigStore} over ConfigAdmin. Existing configurations keep their bundle location. */
final class ConfigAdminStore implements ConfigStore {
    private static final Set<String> FRAMEWORK_KEYS = Set.of(Constants.SERVICE_PID,
            ConfigurationAdmin.SERVICE_FACTORYPID, ConfigurationAdmin.SERVICE_BUNDLELOCATION);

    private final ConfigurationAdmin admin;

    ConfigAdminStore(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    @Override
    public Optional<Map<String, Object>> read(String pid) throws IOException {
        Configuration c = find(pid);
        if (c == null || c.getProperties() == null) {
            return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        Dictionary<String, Object> d = c.getProperties();
        for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!FRAMEWORK_KEYS.contains(k)) {
                m.put(k, d.get(k));
            }
        }
        return Optional.of(m);
    }

    @Override
    public List<String> factoryInstances(String factoryPid) throws IOException {
        List<String> pids = new ArrayList<>();
        for (Configuration c : list("(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + ldap(factoryPid) + ")")) {
            pids.add(c.getPid());
        }
        pids.sort(null);
        return pids;
    }

    @Override
    public void write(String pid, Map<String, Object> properties) throws IOException {
        Configuration c = find(pid);
        if (c == null) {
            c = admin.getConfiguration(pid, "?");
        }
        c.update(new Hashtable<>(properties));
    }

    @Override
    public void delete(String pid) throws IOException {
        Configuration c = find(pid);
        if (c != null) {
            c.delete();
        }
    }

    private Configuration find(String pid) throws IOException {
        Configuration[] found = list("(" + Constants.SERVICE_PID + "=" + ldap(pid) + ")").toArray(Configuration[]::new);
        return found.length == 0 ? null : found[0];
    }

    /** Escapes a value for an LDAP filter (RFC 4515): a PID may hold '(', ')', '*' or '\\'. */
    static String ldap(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '(' || c == ')' || c == '*' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private List<Configuration> list(String filter) throws IOException {
        try {
            Configuration[] cs = admin.listConfigurations(filter);
            return cs == null ? List.of() : List.of(cs);
        } catch (InvalidSyntaxException e) {
            throw new IOException("bad filter " + filter, e);
        }
    }
}
