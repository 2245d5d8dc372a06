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
 * machine, for how many minutes, its ratios, and the highest JIT share of the services' CPU in its
 * measured windows, over them all and the highest in one. Read into the records the writer wrote
 * ({@link Ratio}, {@link Sample}), so reader and writer cannot drift apart. {@code jitShareMax} and
 * {@code jitShareOverall} are missing from files written before the report had them; then they are
 * found from the samples, as the report finds them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunFigures(String command, String started, Double minutes, Map<String, String> machine, List<Ratio> ratios,
        Double jitShareMax, Double jitShareOverall, List<Sample> samples) {

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

    /** The highest JIT share in one of the run's measured windows; NaN when the file says nothing of it. */
    public double highestJitShare() {
        if (jitShareMax != null) {
            return jitShareMax;
        }
        return samples == null ? Double.NaN : Sample.highestJitShare(samples);
    }

    /** The JIT share over all the run's measured windows together; NaN when the file says nothing of it. */
    public double overallJitShare() {
        if (jitShareOverall != null) {
            return jitShareOverall;
        }
        return samples == null ? Double.NaN : Sample.jitShareOverall(samples);
    }
}
