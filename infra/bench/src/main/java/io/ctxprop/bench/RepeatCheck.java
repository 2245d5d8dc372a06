package io.ctxprop.bench;

import io.ctxprop.bench.compare.RunFigures;
import io.ctxprop.bench.report.RepeatSection;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench.sh --compare A B}: no service started; reads two runs' results.json and prints their
 * ratios side by side ({@link RepeatSection}), written to repeat.md as well. A report, so it exits 0
 * whatever the verdict; 2 when a file cannot be read as a results.json.
 */
final class RepeatCheck {

    static final String FILE = "repeat.md";

    private RepeatCheck() {
    }

    /** @return the exit code */
    static int run(BenchOptions.Compared runs, Path out, PrintStream stdout, PrintStream stderr) {
        String md;
        try {
            md = RepeatSection.render(runs.first(), RunFigures.read(runs.first()), runs.second(), RunFigures.read(runs.second()));
        } catch (IOException | IllegalArgumentException e) {
            stderr.println("bench.sh --compare: cannot read " + e.getMessage());
            return 2;
        }
        stdout.print(md);
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve(FILE), md);
        } catch (IOException e) {
            stderr.println("bench.sh --compare: cannot write " + out.resolve(FILE) + ": " + e);
            return 2;
        }
        stdout.println("Written: " + out.resolve(FILE));
        return 0;
    }
}
