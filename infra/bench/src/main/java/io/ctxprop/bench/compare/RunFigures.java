package io.ctxprop.bench.compare;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.ctxprop.bench.measure.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one run's results.json says that a comparison of two runs needs: how and when it ran, on what
 * machine, for how many minutes, its ratios, and the JIT's share of the services' CPU: over the windows
 * kept, over those and the windows set aside for their JIT, and the highest in one window kept. Read
 * into the records the writer wrote ({@link Ratio}, {@link Sample}), so reader and writer cannot drift
 * apart. Files written before the report had those figures find them from their samples, as the report
 * does.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunFigures(String command, String started, Double minutes, Map<String, String> machine, List<Ratio> ratios,
        Double jitShareMax, Double jitShareKept, Double jitShareWithSetAside, List<Sample> samples, List<Sample> setAside) {

    /**
     * A figure with no value (no answer, no JIT read) is written as NaN; read it as NaN, quoted or not. A
     * sample written before a figure existed (a round's pacing, 2026-12-07) reads as 0 there: unpaced.
     */
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    /** @throws IllegalArgumentException when the file is not a bench run's results.json (no {@code ratios}) */
    public static RunFigures read(Path resultsJson) throws IOException {
        String json = Files.readString(resultsJson);
        RunFigures run;
        try {
            run = MAPPER.readValue(json, RunFigures.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(resultsJson + " is not a bench results.json: " + e.getOriginalMessage(), e);
        }
        if (run == null || run.ratios() == null) {
            throw new IllegalArgumentException(resultsJson + " is not a bench results.json: it has no \"ratios\"");
        }
        return run;
    }

    /** The highest JIT share in one of the run's windows kept; NaN when the file says nothing of it. */
    public double highestJitShare() {
        if (jitShareMax != null) {
            return jitShareMax;
        }
        return samples == null ? Double.NaN : Sample.highestJitShare(samples);
    }

    /** The JIT share over the run's windows kept, together; NaN when the file says nothing of it. */
    public double keptJitShare() {
        if (jitShareKept != null) {
            return jitShareKept;
        }
        return samples == null ? Double.NaN : Sample.jitShareTogether(samples);
    }

    /** The JIT share over the windows kept and those set aside, together; NaN when the file lists neither. */
    public double withSetAsideJitShare() {
        if (jitShareWithSetAside != null) {
            return jitShareWithSetAside;
        }
        return samples == null || setAside == null ? Double.NaN
                : Sample.jitShareTogether(samples, setAside);
    }
}
