import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import javax.security.auth.Subject;

import org.apache.activemq.artemis.core.protocol.mqtt.exceptions.InvalidClientIdException;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.NoCacheLoginException;
import org.apache.activemq.artemis.utils.PasswordMaskingUtil;

/**
 * One node of the EdgeShare test cluster: an embedded ActiveMQ Artemis broker configured by its broker.xml
 * (written by ./artemis-cluster), users and roles from JAAS property files. Run with the Java source launcher:
 *
 * <pre>
 *   java -cp CLASSPATH ArtemisNode.java run DIR/node1/broker.xml   # until SIGTERM
 *   java -cp CLASSPATH ArtemisNode.java hash PASSWORD              # ENC(...) for artemis-users.properties
 * </pre>
 *
 * Artemis authenticates a username and password but does not tie an MQTT client id to a user, which the
 * EdgeShare access rules (docs/security.md) need: a gateway {@code ID} connects only as {@code gw-ID}, the
 * platform only with a client id starting with {@code edgeshare-platform}. The wrapper below adds that check,
 * the way the Artemis MQTT documentation ("Custom Client ID Handling") describes.
 */
public final class ArtemisNode {
    static final String PLATFORM = "edgeshare-platform";

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("hash")) {
            System.out.println(PasswordMaskingUtil.getHashProcessor().hash(args[1])); // ENC(...)
            return;
        }
        if (args.length != 2 || !args[0].equals("run") || !Files.isRegularFile(Path.of(args[1]))) {
            System.err.println("usage: ArtemisNode run BROKER_XML | hash PASSWORD");
            System.exit(2);
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfigResourcePath(Path.of(args[1]).toUri().toString());
        broker.setSecurityManager(new ClientIdRule(new ActiveMQJAASSecurityManager("edgeshare")));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                System.err.println("artemis: stop failed: " + e);
            }
            stopped.countDown();
        }, "artemis-stop"));
        broker.start();
        System.out.println("artemis: node started from " + args[1]);
        stopped.await();
    }

    /** Authentication by the JAAS login modules, then: the MQTT client id must belong to the user. */
    static final class ClientIdRule implements ActiveMQSecurityManager5 {
        private final ActiveMQJAASSecurityManager jaas;

        ClientIdRule(ActiveMQJAASSecurityManager jaas) {
            this.jaas = jaas;
        }

        @Override
        public Subject authenticate(String user, String password, RemotingConnection connection,
                String securityDomain) throws NoCacheLoginException {
            Subject subject = jaas.authenticate(user, password, connection, securityDomain);
            if (subject != null && connection != null && "MQTT".equals(connection.getProtocolName())) {
                String clientId = connection.getClientID();
                boolean own = PLATFORM.equals(user) ? clientId != null && clientId.startsWith(PLATFORM)
                        : ("gw-" + user).equals(clientId);
                if (!own) {
                    System.out.println("artemis: refused client id " + clientId + " for user " + user);
                    throw new InvalidClientIdException();
                }
            }
            return subject;
        }

        @Override
        public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
            return jaas.authorize(subject, roles, checkType, address);
        }

        @Override
        public boolean validateUser(String user, String password) {
            throw new UnsupportedOperationException("authenticate(...) is used");
        }

        @Override
        public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
            throw new UnsupportedOperationException("authorize(...) is used");
        }

        @Override
        public String getDomain() {
            return jaas.getDomain();
        }
    }
}
