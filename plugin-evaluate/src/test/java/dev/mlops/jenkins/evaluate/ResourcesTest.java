package dev.mlops.jenkins.evaluate;

import dev.mlops.jenkins.support.ResourcesTestBase;
import java.util.List;

/** Jelly views and help files exist where Stapler looks for them and are well-formed XML. */
class ResourcesTest extends ResourcesTestBase {
    @Override
    protected Class<?> stepClass() {
        return MlopsEvaluateStep.class;
    }

    @Override
    protected Class<?> actionClass() {
        return EvaluationReportAction.class;
    }

    @Override
    protected List<String> knownArguments() {
        return List.of("candidate", "holdout", "model", "baseline", "slices", "gate", "failOnInconclusive");
    }
}
