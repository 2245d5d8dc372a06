package io.ctxprop.bench.report;

import io.ctxprop.bench.compare.Repeatability;
import io.ctxprop.bench.compare.Repeatability.Row;
import io.ctxprop.bench.compare.RunFigures;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * repeat.md, {@code bench.sh --compare}: two runs' ratios side by side, within 10 % of each other or
 * not, each run's JIT share in the windows its figures come from (under 2 %: warm), with the windows set
 * aside for their JIT counted too, and the highest in one window, when and where each ran,
 * and a last line saying whether the runs agree.
 */
public final class RepeatSection {

    private RepeatSection() {
    }

    public static String render(Path firstFile, RunFigures first, Path secondFile, RunFigures second) {
        var repeat = Repeatability.of(first.ratios(), second.ratios());
        var md = new StringBuilder("# Two runs side by side\n\n");
        md.append(run("A", firstFile, first)).append(run("B", secondFile, second)).append('\n');
        md.append("| ratio | path | clients | run A | run B | difference relative to A | within 10 % |\n");
        md.append("|---|---|---|---:|---:|---:|---|\n");
        for (Row row : repeat.rows()) {
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s |%n", row.name(), row.path(), row.clients(),
                    value(row.first()), value(row.second()),
                    Double.isNaN(row.difference()) ? "-" : String.format("%.1f %%", row.difference() * 100), within(row)));
        }
        md.append("\n| run | JIT share, windows kept | under 2 % | with the windows set aside for JIT | highest in one window kept |\n"
                + "|---|---:|---|---:|---:|\n");
        md.append(jit("A", first)).append(jit("B", second));
        md.append('\n').append(verdict(repeat)).append('\n');
        return md.toString();
    }

    private static String run(String label, Path file, RunFigures run) {
        var line = new StringBuilder("- Run ").append(label).append(": `").append(file).append('`');
        if (run.command() != null) {
            line.append(", `").append(run.command()).append('`');
        }
        if (run.started() != null) {
            line.append(", started ").append(run.started());
        }
        if (run.minutes() != null) {
            line.append(String.format(", %.1f minutes", run.minutes()));
        }
        if (run.machine() != null && !run.machine().isEmpty()) {
            line.append("; machine: ").append(run.machine().entrySet().stream()
                    .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining("; ")));
        }
        return line.append('\n').toString();
    }

    private static String value(Double ratio) {
        return ratio == null ? "-" : String.format("%.3f", ratio);
    }

    private static String within(Row row) {
        if (row.first() == null) {
            return "no (only in run B)";
        }
        if (row.second() == null) {
            return "no (only in run A)";
        }
        return row.within() ? "yes" : "no";
    }

    private static String jit(String label, RunFigures run) {
        double share = run.keptJitShare();
        return String.format("| %s | %s | %s | %s | %s |%n", label, percent(share), Repeatability.warm(share) ? "yes" : "no",
                percent(run.withSetAsideJitShare()), percent(run.highestJitShare()));
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format("%.2f %%", share * 100);
    }

    private static String verdict(Repeatability repeat) {
        List<Row> rows = repeat.rows();
        if (rows.isEmpty()) {
            return "The two runs agree: **no**, neither has a ratio to compare.";
        }
        long within = repeat.withinCount();
        return repeat.agree()
                ? String.format("The two runs agree: **yes**, every ratio (%d of %d) within 10 %%.", within, rows.size())
                : String.format("The two runs agree: **no**, %d of %d ratios within 10 %%, %d in one run only.", within, rows.size(),
                        rows.stream().filter(row -> row.first() == null || row.second() == null).count());
    }
}
