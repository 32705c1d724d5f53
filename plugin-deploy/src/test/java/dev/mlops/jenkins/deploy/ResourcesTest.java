package dev.mlops.jenkins.deploy;

import dev.mlops.jenkins.support.ResourcesTestBase;
import java.util.List;

/** Jelly views and help files exist where Stapler looks for them and are well-formed XML. */
class ResourcesTest extends ResourcesTestBase {
    @Override
    protected Class<?> stepClass() {
        return MlopsApproveStep.class;
    }

    @Override
    protected Class<?> actionClass() {
        return ApprovalAction.class;
    }

    @Override
    protected List<String> knownArguments() {
        return List.of("message", "approvers", "evidence", "id");
    }
}
