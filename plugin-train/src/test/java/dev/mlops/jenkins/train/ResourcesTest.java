package dev.mlops.jenkins.train;

import dev.mlops.jenkins.support.ResourcesTestBase;
import java.util.List;

/** Jelly views and help files exist where Stapler looks for them and are well-formed XML. */
class ResourcesTest extends ResourcesTestBase {
    @Override
    protected Class<?> stepClass() {
        return MlopsTrainStep.class;
    }

    @Override
    protected Class<?> actionClass() {
        return TrainingRunAction.class;
    }

    @Override
    protected List<String> knownArguments() {
        return List.of("data", "trainer", "command", "params", "requireGpu", "gpus", "runsDir");
    }
}
