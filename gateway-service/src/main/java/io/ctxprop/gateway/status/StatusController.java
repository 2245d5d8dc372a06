package io.ctxprop.gateway.status;

import io.ctxprop.gateway.completion.ModelEndpoint;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code GET /}: which model answers, and the recent requests with their trace ids. */
@Controller
class StatusController {

    private final ModelEndpoint endpoint;
    private final RecentRequests recent;

    StatusController(ModelEndpoint endpoint, RecentRequests recent) {
        this.endpoint = endpoint;
        this.recent = recent;
    }

    @GetMapping("/")
    String status(Model model) {
        model.addAttribute("mode", endpoint.describe());
        model.addAttribute("offline", endpoint.offline());
        model.addAttribute("model", endpoint.model());
        model.addAttribute("requests", recent.newestFirst());
        return "index";
    }
}
