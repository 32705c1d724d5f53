package dev.mlops.jenkins.evaluate;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.StaplerResponse2;

/** Records what an {@link HttpResponse} writes: status, headers, content type and body. */
final class FakeResponse {
    int status = 200;
    String contentType;
    final Map<String, String> headers = new LinkedHashMap<>();
    final StringWriter body = new StringWriter();

    static FakeResponse of(HttpResponse response) throws Exception {
        FakeResponse fake = new FakeResponse();
        PrintWriter writer = new PrintWriter(fake.body, true);
        StaplerResponse2 rsp = (StaplerResponse2) Proxy.newProxyInstance(FakeResponse.class.getClassLoader(),
                new Class<?>[] {StaplerResponse2.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setContentType" -> fake.contentType = (String) args[0];
                        case "setHeader" -> fake.headers.put((String) args[0], (String) args[1]);
                        case "sendError" -> fake.status = (Integer) args[0];
                        case "setStatus" -> fake.status = (Integer) args[0];
                        case "getWriter" -> {
                            return writer;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
        response.generateResponse(null, rsp, null);
        writer.flush();
        return fake;
    }
}
