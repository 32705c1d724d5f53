package dev.mlops.jenkins.register;

import dev.mlops.jenkins.support.ResourcesTestBase;
import java.util.List;

/** Jelly views and help files exist where Stapler looks for them and are well-formed XML. */
class ResourcesTest extends ResourcesTestBase {
    @Override
    protected Class<?> stepClass() {
        return MlopsRegisterStep.class;
    }

    @Override
    protected Class<?> actionClass() {
        return RegisteredModelAction.class;
    }

    @Override
    protected List<String> knownArguments() {
        return List.of("model", "path", "paths", "metrics", "registry");
    }
}
