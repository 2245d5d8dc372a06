package io.ctxprop.gateway.status;

import io.ctxprop.gateway.completion.ModelEndpoint;
import io.ctxprop.gateway.kafka.KafkaListenerStatus;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code GET /}: which model answers, the Kafka listener's state, and the recent requests with their
 * trace ids, each a link to the trace in the application's inspector ({@code gateway.traces-url}).
 */
@Controller
class StatusController {

    /** When a request came, to the millisecond, in UTC (the full instant is the cell's tooltip). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final ModelEndpoint endpoint;
    private final RecentRequests recent;
    private final KafkaListenerStatus kafka;
    private final String tracesUrl;

    StatusController(ModelEndpoint endpoint, RecentRequests recent, KafkaListenerStatus kafka,
            @Value("${gateway.traces-url}") String tracesUrl) {
        this.endpoint = endpoint;
        this.recent = recent;
        this.kafka = kafka;
        this.tracesUrl = tracesUrl.endsWith("/") ? tracesUrl.substring(0, tracesUrl.length() - 1) : tracesUrl;
    }

    @GetMapping("/")
    String status(Model model) {
        model.addAttribute("mode", endpoint.describe());
        model.addAttribute("offline", endpoint.offline());
        model.addAttribute("model", endpoint.model());
        model.addAttribute("requests", recent.newestFirst());
        model.addAttribute("kafka", kafka.snapshot());
        model.addAttribute("tracesUrl", tracesUrl);
        model.addAttribute("time", TIME);
        return "index";
    }
}
