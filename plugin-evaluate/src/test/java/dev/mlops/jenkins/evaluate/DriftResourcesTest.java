package dev.mlops.jenkins.evaluate;

import dev.mlops.jenkins.support.ResourcesTestBase;
import java.util.List;

/** The drift step's help files and its build page's views. */
class DriftResourcesTest extends ResourcesTestBase {
    @Override
    protected Class<?> stepClass() {
        return MlopsDriftCheckStep.class;
    }

    @Override
    protected Class<?> actionClass() {
        return DriftReportAction.class;
    }

    @Override
    protected List<String> knownArguments() {
        return List.of("model", "version", "current", "webhook", "job", "secretEnv", "cooldownMinutes", "maxPerDay", "triggerMode", "unstableOnDrift");
    }
}
