package dev.mlops.deploy;

import dev.mlops.error.ConflictException;
import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Checks, before anything is started, that a deployment's ports on 127.0.0.1 are free. */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** @param what how the error names the port ("port", "admin port") */
    public static void requireFree(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("port: " + port + " not in 1..65535; pass --port such as 8090");
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new ConflictException(what + ": " + port + " on 127.0.0.1 is already in use; pick another --port or stop what listens there");
        }
    }
}
