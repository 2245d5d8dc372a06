package io.ctxprop.bench.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecuredKafkaEnvTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"gateway\" password=\"0a1b2c\";";

    @Test
    void springBootsOwnSettingsForThePrincipalAndTheGrantedTopics(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("gateway.properties"), """
                # client settings
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=%s
                ssl.truststore.type=PEM
                """.formatted(JAAS));

        var env = SecuredKafkaEnv.of(dir, "gateway");

        assertThat(env).containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("SPRING_KAFKA_SSL_BUNDLE", "kafka")
                .containsEntry("SPRING_SSL_BUNDLE_PEM_KAFKA_TRUSTSTORE_CERTIFICATE", "file:" + dir.resolve("ca.pem"))
                .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS)
                .containsEntry("LLM_KAFKA_REQUESTS", "llm.requests")
                .containsEntry("LLM_KAFKA_REPLIES", "llm.replies")
                .containsEntry("LLM_KAFKA_DEADLETTERS", "llm.requests-dlt")
                .containsEntry("LLM_KAFKA_GROUPID", "llm-gateway");
    }

    @Test
    void anotherPrincipalsFileOrNoLoginIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("application.properties"), "sasl.jaas.config=" + JAAS + "\n");
        Files.writeString(dir.resolve("client.properties"), "security.protocol=SASL_SSL\n");

        assertThatThrownBy(() -> SecuredKafkaEnv.of(dir, "application")).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("0a1b2c");
        assertThatThrownBy(() -> SecuredKafkaEnv.of(dir, "client")).isInstanceOf(IllegalStateException.class);
    }
}
