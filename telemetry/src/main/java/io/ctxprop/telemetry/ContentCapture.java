package io.ctxprop.telemetry;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Whether prompts and answers may be written onto spans, from {@code OPENINFERENCE_HIDE_INPUTS} and
 * {@code OPENINFERENCE_HIDE_OUTPUTS} (the OpenInference names). Lengths and token counts stay.
 */
@ConfigurationProperties("openinference")
public record ContentCapture(boolean hideInputs, boolean hideOutputs) {

    public boolean inputs() {
        return !hideInputs;
    }

    public boolean outputs() {
        return !hideOutputs;
    }
}
