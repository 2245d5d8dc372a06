package io.ctxprop.gateway.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the request listener ends every record, bounds its memory and stops.
 *
 * @param attempts        tries of a failing step (reply routing look-up, answer, reply send) before the
 *                        record is dead-lettered as {@code processing-failed}
 * @param backoff         wait after the first failed try; doubled after each further one
 * @param maxBackoff      the longest wait between tries (also between tries of a dead letter that
 *                        cannot be written, which are not bounded: a record is never dropped)
 * @param maxPending      records of one partition taken and not yet acknowledged before it is paused
 * @param drainTimeout    on shutdown, how long requests in flight get to be answered and committed
 * @param revocationWait  on a rebalance, how long the requests of a revoked partition get to finish
 *                        before its offsets are committed (the whole group waits for it)
 */
@ConfigurationProperties("llm.kafka.listener")
public record ListenerProperties(int attempts, Duration backoff, Duration maxBackoff, int maxPending, Duration drainTimeout,
        Duration revocationWait) {
}
