package io.ctxprop.bench.stack;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A service's environment for the secured broker, as run.sh --secure gives it: Spring Boot's own Kafka
 * settings (SASL_SSL, the CA as a PEM SSL bundle, SCRAM-SHA-512 and the principal's JAAS line from its
 * client properties file), and the topics and consumer group the broker's ACLs name. The password stays in
 * the child's environment: never on a command line, in a log or in the report.
 */
public final class SecuredKafkaEnv {

    /** The names broker.sh --secure creates and grants (infra/local-broker/secure/TopicsAndAcls.java). */
    static final Map<String, String> GRANTED_TOPICS = Map.of(
            "LLM_KAFKA_REQUESTS", "llm.requests",
            "LLM_KAFKA_REPLIES", "llm.replies",
            "LLM_KAFKA_DEADLETTERS", "llm.requests-dlt",
            "LLM_KAFKA_GROUPID", "llm-gateway");

    private SecuredKafkaEnv() {
    }

    /** Everything a service started as {@code principal} (application or gateway) needs on top of a plaintext stack's. */
    public static Map<String, String> of(Path secureDir, String principal) throws IOException {
        var client = new Properties();
        try (Reader reader = Files.newBufferedReader(secureDir.resolve(principal + ".properties"))) {
            client.load(reader);
        }
        String jaas = client.getProperty("sasl.jaas.config");
        if (jaas == null || !jaas.contains("username=\"" + principal + "\"")) {
            throw new IllegalStateException("no SCRAM login of " + principal + " in " + secureDir);
        }
        var env = new HashMap<>(GRANTED_TOPICS);
        env.put("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("SPRING_KAFKA_SSL_BUNDLE", "kafka");
        env.put("SPRING_SSL_BUNDLE_PEM_KAFKA_TRUSTSTORE_CERTIFICATE", "file:" + secureDir.resolve("ca.pem"));
        env.put("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", client.getProperty("sasl.mechanism", "SCRAM-SHA-512"));
        env.put("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", jaas);
        return Map.copyOf(env);
    }
}
