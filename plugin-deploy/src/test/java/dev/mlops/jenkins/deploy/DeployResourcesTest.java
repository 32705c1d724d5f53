package dev.mlops.jenkins.deploy;

import dev.mlops.jenkins.support.ResourcesTestBase;
import java.util.List;

/** mlopsDeploy's help files and the rollout page exist where Stapler looks for them and are well-formed XML. */
class DeployResourcesTest extends ResourcesTestBase {
    @Override
    protected Class<?> stepClass() {
        return MlopsDeployStep.class;
    }

    @Override
    protected Class<?> actionClass() {
        return RolloutAction.class;
    }

    @Override
    protected List<String> knownArguments() {
        return List.of("action", "model", "version", "approver", "stepSeconds");
    }
}
