package dev.mlops.serve;

/** The protocol suite on the JDK's HttpServer, the alternative {@link HttpStack}. */
class JdkProtocolTest extends ProtocolTest {
    @Override
    HttpStack stack() {
        return HttpStack.JDK;
    }
}
