package dev.chorus.scoring.embedding;

/** Where ONNX Runtime runs the model. */
public enum ExecutionProvider {
    CPU,
    /** NVIDIA GPU; needs the {@code onnxruntime_gpu} artifact (Maven profile {@code gpu}) and CUDA 12 + cuDNN 9. */
    CUDA
}
