import java.io.FileReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Run by broker.sh --secure (as the admin principal, a single-file program on the broker's classpath)
 * once the secured broker is up: sets the SCRAM credentials of application, gateway and client, creates the topics with the settings the services would use, so no
 * service needs CREATE, and the least-privilege ACLs. Both steps can run again: an existing topic is
 * left as it is, and an ACL that exists is not added twice.
 *
 * Args: bootstrap servers, the admin's client properties file, replication factor, min.insync.replicas.
 */
public class TopicsAndAcls {

    static final String REQUESTS = "llm.requests";
    static final String REPLIES = "llm.replies";
    static final String DEAD_LETTERS = "llm.requests-dlt";
    static final String CLIENT_REPLIES = "llm.replies.client";
    static final int PARTITIONS = 6;
    static final Pattern PASSWORD = Pattern.compile("password=\"([^\"]*)\"");

    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        try (var in = new FileReader(args[1])) {
            config.load(in);
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        short replicas = Short.parseShort(args[2]);
        String minInsync = args[3];
        try (Admin admin = Admin.create(config)) {
            createTopics(admin, replicas, minInsync);
            admin.createAcls(acls()).all().get();
            admin.alterUserScramCredentials(credentials(Path.of(args[1]).getParent())).all().get();
        }
        System.out.println("Topics " + String.join(", ", REQUESTS, REPLIES, DEAD_LETTERS, CLIENT_REPLIES) + " and the ACLs are in place.");
    }

    private static void createTopics(Admin admin, short replicas, String minInsync) throws InterruptedException {
        for (String name : List.of(REQUESTS, REPLIES, DEAD_LETTERS, CLIENT_REPLIES)) {
            var topic = new NewTopic(name, PARTITIONS, replicas).configs(Map.of("min.insync.replicas", minInsync));
            try {
                admin.createTopics(List.of(topic)).all().get();
            } catch (ExecutionException failure) {
                if (!(failure.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create " + name, failure.getCause());
                }
            }
        }
    }

    /**
     * The services' and the scripts' SCRAM credentials, from their properties files (never on a command
     * line); the admin's were made when the data folder was formatted (the brokers log in as admin).
     */
    static List<UserScramCredentialAlteration> credentials(Path folder) throws IOException {
        List<UserScramCredentialAlteration> credentials = new ArrayList<>();
        for (String principal : List.of("application", "gateway", "client")) {
            Properties properties = new Properties();
            try (var in = new FileReader(folder.resolve(principal + ".properties").toFile())) {
                properties.load(in);
            }
            Matcher password = PASSWORD.matcher(properties.getProperty("sasl.jaas.config"));
            if (!password.find()) {
                throw new IllegalStateException("No password in " + principal + ".properties");
            }
            credentials.add(new UserScramCredentialUpsertion(principal, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                    password.group(1)));
        }
        return credentials;
    }

    /** Who may do what: only the gateway reads requests and writes replies; each caller reads only its own replies. */
    static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        // the application: asks on llm.requests, reads llm.replies in its own groups (application-replies-<uuid>)
        allow(acls, "application", ResourceType.TOPIC, REQUESTS, PatternType.LITERAL, AclOperation.WRITE);
        allow(acls, "application", ResourceType.TOPIC, REPLIES, PatternType.LITERAL, AclOperation.READ);
        allow(acls, "application", ResourceType.GROUP, "application-replies-", PatternType.PREFIXED, AclOperation.READ);
        // the gateway: reads llm.requests in group llm-gateway, writes llm.replies, llm.replies.* and the DLT,
        // and describes topics (reply routing asks whether a reply topic exists)
        allow(acls, "gateway", ResourceType.TOPIC, REQUESTS, PatternType.LITERAL, AclOperation.READ);
        allow(acls, "gateway", ResourceType.GROUP, "llm-gateway", PatternType.LITERAL, AclOperation.READ);
        allow(acls, "gateway", ResourceType.TOPIC, REPLIES, PatternType.LITERAL, AclOperation.WRITE);
        allow(acls, "gateway", ResourceType.TOPIC, REPLIES + ".", PatternType.PREFIXED, AclOperation.WRITE);
        allow(acls, "gateway", ResourceType.TOPIC, DEAD_LETTERS, PatternType.LITERAL, AclOperation.WRITE);
        allow(acls, "gateway", ResourceType.TOPIC, "llm.", PatternType.PREFIXED, AclOperation.DESCRIBE);
        // scripts and other outside callers: ask on llm.requests, read only llm.replies.client* in groups client*
        allow(acls, "client", ResourceType.TOPIC, REQUESTS, PatternType.LITERAL, AclOperation.WRITE);
        allow(acls, "client", ResourceType.TOPIC, CLIENT_REPLIES, PatternType.PREFIXED, AclOperation.READ);
        allow(acls, "client", ResourceType.GROUP, "client", PatternType.PREFIXED, AclOperation.READ);
        return acls;
    }

    private static void allow(List<AclBinding> acls, String principal, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW)));
    }
}
