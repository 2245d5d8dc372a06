package io.ctxprop.gateway.status;

import io.ctxprop.gateway.completion.ModelEndpoint;
import io.ctxprop.gateway.kafka.KafkaListenerStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code GET /}: which model answers, the Kafka listener's state, and the recent requests with their trace ids. */
@Controller
class StatusController {

    private final ModelEndpoint endpoint;
    private final RecentRequests recent;
    private final KafkaListenerStatus kafka;

    StatusController(ModelEndpoint endpoint, RecentRequests recent, KafkaListenerStatus kafka) {
        this.endpoint = endpoint;
        this.recent = recent;
        this.kafka = kafka;
    }

    @GetMapping("/")
    String status(Model model) {
        model.addAttribute("mode", endpoint.describe());
        model.addAttribute("offline", endpoint.offline());
        model.addAttribute("model", endpoint.model());
        model.addAttribute("requests", recent.newestFirst());
        model.addAttribute("kafka", kafka.snapshot());
        return "index";
    }
}
