package dev.mlops.cli;

import dev.mlops.json.Json;
import dev.mlops.maturity.MaturityAssessment;
import dev.mlops.maturity.MaturityReport;
import dev.mlops.maturity.MaturityReport.DimensionResult;
import dev.mlops.maturity.MaturityReports;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "maturity", mixinStandardHelpOptions = true,
        description = "Where a repository stands on the MLOps maturity model (levels 1-4 per dimension), with the evidence found "
                + "and the next step. Criteria: docs/maturity.md.")
final class MaturityCommand implements Callable<Integer> {
    private final Context context;
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Repository root (default: the working directory)")
    String dir;
    @Option(names = "--registry", paramLabel = "URI",
            description = "Registry to read: a folder, file:/path or azblob://container/prefix. Default: $MLOPS_REGISTRY, else DIR/.mlops/registry")
    String registry;
    @Option(names = "--report-dir", paramLabel = "D", description = "Also write maturity.json and maturity.html here")
    Path reportDir;
    @Option(names = "--json", description = "Print the mlops.maturity/v1 report")
    boolean json;

    MaturityCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Path repository = dir == null ? context.workingDir() : context.workingDir().resolve(dir);
        MaturityReport report = new MaturityAssessment(context.env(), context.clock()).assess(repository, registry);
        List<Path> written = reportDir == null ? List.of() : MaturityReports.write(report, context.workingDir().resolve(reportDir));
        if (json) {
            context.out().print(MaturityReports.toJson(report));
        } else {
            context.out().printf("MLOps maturity of %s: Level %d%n", report.repository(), report.level());
            for (DimensionResult d : report.dimensions()) {
                context.out().printf("  %-24s Level %d%s%n", d.name(), d.level(), d.next() == null ? "" : "   next: " + d.next());
            }
            if (report.next() != null) {
                context.out().println("Next step (" + report.next().dimension() + "): " + report.next().step());
            }
        }
        for (Path p : written) {
            context.err().println("wrote " + p);
        }
        return 0;
    }
}
