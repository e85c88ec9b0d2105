package dev.chorus.scoring.embedding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The serialised ONNX model of one {@code Gemm} node, {@code y = a · bᵀ} over float matrices of any size, for
 * {@link OnnxDotProducts}. ONNX Runtime's Java API runs only whole models, and its jar carries no protobuf classes, so
 * the few messages are written here by hand; the field numbers are those of {@code onnx.proto}.
 */
final class GemmGraph {

    static final String A = "a";
    static final String B = "b";
    static final String Y = "y";

    private static final int IR_VERSION = 8;
    private static final int OPSET = 13;
    private static final int FLOAT = 1;
    private static final int ATTRIBUTE_INT = 2;
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;

    private GemmGraph() {
    }

    static byte[] bytes() {
        byte[] node = message(m -> {
            string(m, 1, A);
            string(m, 1, B);
            string(m, 2, Y);
            string(m, 4, "Gemm");
            bytes(m, 5, message(attribute -> {
                string(attribute, 1, "transB");
                integer(attribute, 3, 1);
                integer(attribute, 20, ATTRIBUTE_INT);
            }));
        });
        byte[] graph = message(m -> {
            bytes(m, 1, node);
            string(m, 2, "dot_products");
            bytes(m, 11, floatMatrix(A, "rows", "dimension"));
            bytes(m, 11, floatMatrix(B, "columns", "dimension"));
            bytes(m, 12, floatMatrix(Y, "rows", "columns"));
        });
        return message(m -> {
            integer(m, 1, IR_VERSION);
            string(m, 2, "chorus");
            bytes(m, 7, graph);
            bytes(m, 8, message(opset -> {
                string(opset, 1, "");
                integer(opset, 2, OPSET);
            }));
        });
    }

    /** A ValueInfoProto: a float tensor of two named (dynamic) dimensions. */
    private static byte[] floatMatrix(String name, String height, String width) {
        byte[] shape = message(m -> {
            bytes(m, 1, message(dimension -> string(dimension, 2, height)));
            bytes(m, 1, message(dimension -> string(dimension, 2, width)));
        });
        byte[] tensor = message(m -> {
            integer(m, 1, FLOAT);
            bytes(m, 2, shape);
        });
        return message(m -> {
            string(m, 1, name);
            bytes(m, 2, message(type -> bytes(type, 1, tensor)));
        });
    }

    private static byte[] message(Consumer<ByteArrayOutputStream> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.accept(out);
        return out.toByteArray();
    }

    private static void integer(ByteArrayOutputStream out, int field, long value) {
        varint(out, (long) field << 3 | VARINT);
        varint(out, value);
    }

    private static void string(ByteArrayOutputStream out, int field, String value) {
        bytes(out, field, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] value) {
        varint(out, (long) field << 3 | LENGTH_DELIMITED);
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
