package io.ctxprop.gateway.kafka;

import io.ctxprop.telemetry.propagation.StrictUtf8;
import io.ctxprop.telemetry.streaming.StreamHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a request record into a {@link KafkaRequest}, or says why it cannot be answered. The value
 * is a JSON object {@code {"text": "..."}} or plain UTF-8 text; the routing headers it reads must be
 * sound, and a reply topic the record names on the allow-list ({@link ReplyTopicAllowList}: a record that
 * names none is answered on the gateway's own default reply topic, which the list need not hold); whether it and the reply
 * partition exist is {@link ReplyRoutes}' question. Trace headers
 * are not its business: broken ones never cost a request. Records from scripts need neither a
 * correlation id nor a reply topic.
 */
final class RequestReader {

    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final JsonMapper json;
    private final String defaultReplyTopic;
    private final ReplyTopicAllowList replyTopics;
    private final int maxTextLength;

    RequestReader(JsonMapper json, String defaultReplyTopic, ReplyTopicAllowList replyTopics, int maxTextLength) {
        this.json = json;
        this.defaultReplyTopic = defaultReplyTopic;
        this.replyTopics = replyTopics;
        this.maxTextLength = maxTextLength;
    }

    /** @throws PoisonRecord when the record must go to the dead-letter topic */
    KafkaRequest read(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        String text = text(record.value());
        String replyTopic = replyTopic(headers);
        return new KafkaRequest(text, correlationId(record), replyTopic, replyPartition(headers),
                StreamHeaders.isSet(headers, StreamHeaders.STREAM));
    }

    private String text(byte[] value) {
        if (value == null || value.length == 0) {
            throw new PoisonRecord(PoisonReason.EMPTY_VALUE, null);
        }
        String decoded = StrictUtf8.decode(value);
        if (decoded == null || decoded.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
            throw new PoisonRecord(PoisonReason.UNDESERIALIZABLE_VALUE, null);
        }
        String text = decoded.stripLeading().startsWith("{") ? textField(decoded) : decoded;
        if (text.isBlank()) {
            throw new PoisonRecord(PoisonReason.MISSING_TEXT, null);
        }
        if (text.length() > maxTextLength) {
            throw new PoisonRecord(PoisonReason.TEXT_TOO_LARGE, "It has " + text.length() + " characters; the limit is " + maxTextLength + ".");
        }
        return text;
    }

    private String textField(String value) {
        JsonNode node;
        try {
            node = json.readTree(value);
        } catch (JacksonException malformed) {
            throw new PoisonRecord(PoisonReason.UNDESERIALIZABLE_VALUE, "It starts like JSON but does not parse.");
        }
        JsonNode text = node.get("text");
        if (text == null || !text.isString()) {
            throw new PoisonRecord(PoisonReason.MISSING_TEXT, null);
        }
        return text.asString();
    }

    private static byte[] correlationId(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
        if (header != null && header.value() != null && header.value().length > 0) {
            return header.value();
        }
        String fallback = record.key() != null && !record.key().isBlank() ? record.key() : UUID.randomUUID().toString();
        return fallback.getBytes(StandardCharsets.UTF_8);
    }

    private String replyTopic(Headers headers) {
        String topic = utf8Header(headers, KafkaHeaders.REPLY_TOPIC);
        if (topic == null) {
            return defaultReplyTopic;
        }
        if (!TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new PoisonRecord(PoisonReason.GARBAGE_HEADER, "kafka_replyTopic is not a topic name.");
        }
        replyTopics.check(topic);
        return topic;
    }

    private static Integer replyPartition(Headers headers) {
        Header header = headers.lastHeader(KafkaHeaders.REPLY_PARTITION);
        if (header == null || header.value() == null) {
            return null;
        }
        if (header.value().length != Integer.BYTES) {
            throw new PoisonRecord(PoisonReason.GARBAGE_HEADER, "kafka_replyPartition is not a 4-byte integer.");
        }
        int partition = ByteBuffer.wrap(header.value()).getInt();
        if (partition < 0) {
            throw new PoisonRecord(PoisonReason.INVALID_REPLY_PARTITION, "It is " + partition + ".");
        }
        return partition;
    }

    /** The header as text, null when absent; a header that is not UTF-8 is poison. */
    private static String utf8Header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        String value = StrictUtf8.decode(header.value());
        if (value == null) {
            throw new PoisonRecord(PoisonReason.GARBAGE_HEADER, name + " is not UTF-8.");
        }
        return value;
    }
}
