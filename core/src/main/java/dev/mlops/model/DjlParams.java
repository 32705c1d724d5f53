package dev.mlops.model;

import dev.mlops.error.IntegrityException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the parameter arrays of a DJL {@code .params} file without a DJL engine.
 *
 * <p>The file is {@code "DJL@"}, version, model name, data type, input shapes, properties, then
 * each block's metadata and parameters depth-first. Block metadata differs between block types and
 * DJL versions, so instead of decoding it this reader finds each parameter record
 * ({@code 'P'}, version, name, then an NDArray starting with the UTF string "NDAR") and skips past
 * its data. NDArray encodings 1 to 3 are read (DJL 0.35 writes 3: optional name, sparse format,
 * data type, shape, byte order mark, length, data). {@code ModelLoaderTest} checks the result
 * against DJL's own loader.
 */
final class DjlParams {
    private static final byte[] ARRAY_MARKER = {0, 4, 'N', 'D', 'A', 'R'};

    /** One parameter: its name ("weight", "bias"), shape and values in row-major order. */
    record Array(String name, long[] shape, float[] values) {
        String describeShape() {
            return Arrays.toString(shape);
        }
    }

    private DjlParams() {
    }

    static List<Array> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw corrupt(file, "cannot read it: " + e.getMessage());
        }
        if (bytes.length < 8 || !new String(bytes, 0, 4, StandardCharsets.US_ASCII).equals("DJL@")) {
            throw corrupt(file, "it does not start with the DJL@ header");
        }
        List<Array> arrays = new ArrayList<>();
        int position = 4;
        while ((position = indexOf(bytes, ARRAY_MARKER, position)) >= 0) {
            String name = nameBefore(bytes, position);
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, position, bytes.length - position));
                in.readUTF(); // NDAR
                int version = in.readInt();
                if (version < 1 || version > 3) {
                    throw corrupt(file, "array encoding version " + version + " is not supported (DJL writes 1 to 3)");
                }
                if (version > 1 && in.readByte() == 1) {
                    in.readUTF(); // array name
                }
                in.readUTF(); // sparse format
                String dataType = in.readUTF();
                int dimensions = in.readInt();
                if (dimensions < 0 || dimensions > 8) {
                    throw corrupt(file, "an array has " + dimensions + " dimensions");
                }
                long[] shape = new long[dimensions];
                long count = 1;
                for (int d = 0; d < dimensions; d++) {
                    shape[d] = in.readLong();
                    count *= shape[d];
                }
                int layouts = in.readInt();
                in.skipBytes(layouts * 2);
                ByteOrder order = version > 2 ? (in.readByte() == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                        : ByteOrder.nativeOrder();
                int length = in.readInt();
                if (!dataType.equals("FLOAT32") || length != count * 4) {
                    throw corrupt(file, "parameter " + name + " is " + dataType + " with " + length + " bytes for shape "
                            + Arrays.toString(shape) + "; expected FLOAT32");
                }
                int dataStart = bytes.length - in.available();
                if (dataStart + length > bytes.length) {
                    throw new EOFException();
                }
                float[] values = new float[(int) count];
                ByteBuffer.wrap(bytes, dataStart, length).order(order).asFloatBuffer().get(values);
                arrays.add(new Array(name, shape, values));
                position = dataStart + length;
            } catch (EOFException e) {
                throw corrupt(file, "it is truncated (" + bytes.length + " bytes)");
            } catch (IOException e) {
                throw corrupt(file, e.getMessage());
            }
        }
        if (arrays.isEmpty()) {
            throw corrupt(file, "it holds no parameter arrays");
        }
        return arrays;
    }

    /** The parameter name written just before the array: {@code writeChar('P'), writeByte(version), writeUTF(name)}. */
    private static String nameBefore(byte[] bytes, int marker) {
        for (int length = 1; length <= 64; length++) {
            int lengthAt = marker - length - 2;
            if (lengthAt - 3 < 0) {
                break;
            }
            int declared = (bytes[lengthAt] & 0xff) << 8 | bytes[lengthAt + 1] & 0xff;
            if (declared == length && bytes[lengthAt - 3] == 0 && bytes[lengthAt - 2] == 'P') {
                return new String(bytes, lengthAt + 2, length, StandardCharsets.UTF_8);
            }
        }
        return "?";
    }

    private static int indexOf(byte[] bytes, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= bytes.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static IntegrityException corrupt(Path file, String why) {
        return new IntegrityException("model: " + file + " is corrupt (" + why
                + "); restore the model folder from the registry (mlops download) or re-train");
    }
}
