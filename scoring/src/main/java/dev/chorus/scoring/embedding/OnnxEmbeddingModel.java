package dev.chorus.scoring.embedding;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * all-MiniLM-L6-v2 on ONNX Runtime with the semantics of sentence-transformers: the tokenizer lowercases and
 * strips accents, token vectors are mean-pooled over every position whose attention mask is 1 ([CLS] and [SEP]
 * included), and the result is L2-normalised.
 *
 * <p>One {@link OrtSession} serves every caller; {@link #embed} is thread-safe and blocking. Texts are cut into
 * windows (see {@link LongTextMode}), the windows are sorted by length and run in batches padded only to the
 * longest window of their batch, through direct buffers that are reused from run to run. A batch holds at most
 * {@code batchSize} windows and {@code batchTokens} padded tokens: on a CPU, one run over many long windows
 * spills its activations (the attention scores alone grow with rows x tokens²) out of the caches and is slower
 * than several small runs.
 *
 * <p>Close the model only after every caller has returned.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbeddingModel.class);
    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final String HIDDEN_STATE = "last_hidden_state";
    /** Same guard as torch.nn.functional.normalize, so a zero vector stays zero instead of becoming NaN. */
    private static final double NORM_EPSILON = 1e-12;

    private final EmbeddingOptions options;
    private final OrtEnvironment environment;
    private final OrtSession.SessionOptions sessionOptions;
    private final OrtSession session;
    private final OnnxDotProducts products;
    private final ExecutionProvider provider;
    private final boolean takesTokenTypes;
    private final int dimension;
    private final WordPieceTokenizer tokenizer;
    private final TokenWindows windowing;
    private final ConcurrentLinkedQueue<RunBuffers> idleBuffers = new ConcurrentLinkedQueue<>();
    private final Executor runner;
    /** The runner when this model made it ({@code embedding.parallel_batches}), shut down with the model; else null. */
    private final ExecutorService ownRunner;
    /**
     * Held for reading by every call that uses the native session or tokenizer and for writing by {@link #close}, so
     * that closing waits for calls still running (an organic round left behind at shutdown) instead of freeing native
     * memory under them.
     */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxEmbeddingModel(EmbeddingOptions options, OrtEnvironment environment,
                               OrtSession.SessionOptions sessionOptions, OrtSession session, OnnxDotProducts products,
                               ExecutionProvider provider, WordPieceTokenizer tokenizer, Executor runner,
                               ExecutorService ownRunner)
            throws OrtException {
        this.options = options;
        this.runner = runner;
        this.ownRunner = ownRunner;
        this.environment = environment;
        this.sessionOptions = sessionOptions;
        this.session = session;
        this.products = products;
        this.provider = provider;
        this.tokenizer = tokenizer;
        this.takesTokenTypes = session.getInputNames().contains(TOKEN_TYPE_IDS);
        this.dimension = hiddenSize(session);
        this.windowing = new TokenWindows(options.maxTokens(), options.longText(), options.maxWindows(),
                tokenizer.clsId(), tokenizer.sepId());
    }

    /**
     * Loads the model named by {@code options}, checking the sha256 of the model and tokenizer resources. The batches
     * of one {@link #embed} call run {@link EmbeddingOptions#batchLanes} at a time, on threads of the model's own
     * (one lane: on the calling thread).
     *
     * @throws IllegalArgumentException if the options are invalid
     * @throws EmbeddingModelException  if a resource is missing or altered, or ONNX Runtime cannot load the model
     */
    public static OnnxEmbeddingModel open(EmbeddingOptions options) {
        return open(options, null);
    }

    /**
     * As {@link #open(EmbeddingOptions)}, but the batches of one {@link #embed} call run concurrently on
     * {@code batchRunner} (owned and closed by the caller), whatever {@code parallelBatches} says; null: as
     * {@link #open(EmbeddingOptions)}. With one intra-op thread per run, a few batches in parallel use the cores
     * without ONNX Runtime's per-operator barriers, which stall on a busy machine.
     */
    public static OnnxEmbeddingModel open(EmbeddingOptions options, Executor batchRunner) {
        options.validate();
        ModelVariant variant = options.variant();
        byte[] modelBytes = verifiedResource(variant.modelResource(), variant.modelSha256(), variant);
        byte[] tokenizerBytes = verifiedResource(variant.tokenizerResource(), variant.tokenizerSha256(), variant);
        OrtEnvironment environment = OrtNativeLibraries.environment();
        WordPieceTokenizer tokenizer = new WordPieceTokenizer(tokenizerBytes);
        OrtSession.SessionOptions sessionOptions = null;
        OrtSession session = null;
        OnnxDotProducts products = null;
        ExecutorService ownRunner = null;
        boolean loaded = false;
        try {
            ExecutionProvider provider = options.provider();
            sessionOptions = sessionOptions(options);
            if (provider == ExecutionProvider.CUDA && !cudaAttached(sessionOptions, options.cudaDevice())) {
                provider = ExecutionProvider.CPU;
            }
            // only now: adding CUDA is what copies its provider into ONNX Runtime's temporary folder
            OrtNativeLibraries.removeTemporaryCopies();
            try {
                session = environment.createSession(modelBytes, sessionOptions);
            } catch (OrtException e) {
                if (provider != ExecutionProvider.CUDA) {
                    throw e;
                }
                LOG.warn("CUDA execution provider failed to start a session ({}); embedding on CPU instead", e.getMessage());
                sessionOptions.close();
                provider = ExecutionProvider.CPU;
                sessionOptions = sessionOptions(options);
                session = environment.createSession(modelBytes, sessionOptions);
            }
            products = OnnxDotProducts.open(environment,
                    provider == ExecutionProvider.CUDA ? options.cudaDevice() : -1);
            Executor runner = batchRunner;
            int lanes = options.withProvider(provider, options.cudaDevice())
                    .batchLanes(Runtime.getRuntime().availableProcessors());
            if (runner == null && lanes > 1) {
                ownRunner = lanes(lanes);
                runner = ownRunner;
            }
            OnnxEmbeddingModel model = new OnnxEmbeddingModel(options, environment, sessionOptions, session, products,
                    provider, tokenizer, runner, ownRunner);
            LOG.info("Embedding model {} loaded: {} dimensions, provider {}, max {} tokens, long texts {}, batch {}, {}",
                    variant, model.dimension, provider, options.maxTokens(), options.longText(), options.batchSize(),
                    batchRunner != null ? "batches on the caller's runner"
                            : lanes > 1 ? lanes + " batches at once" : "one batch at a time");
            loaded = true;
            return model;
        } catch (OrtException | RuntimeException e) {
            if (e instanceof EmbeddingModelException known) {
                throw known;
            }
            throw new EmbeddingModelException("ONNX Runtime could not load " + variant.modelResource() + ": "
                    + e.getMessage(), e);
        } finally {
            // also after an Error (a native library that fails to link), which the catch above lets through
            if (!loaded) {
                if (ownRunner != null) {
                    ownRunner.shutdown();
                }
                closeQuietly(products);
                closeQuietly(session);
                closeQuietly(sessionOptions);
                tokenizer.close();
            }
        }
    }

    /** Daemon threads: a caller that forgets {@link #close} must not keep the JVM alive through them. */
    private static ExecutorService lanes(int count) {
        AtomicInteger next = new AtomicInteger();
        return Executors.newFixedThreadPool(count, task -> {
            Thread thread = new Thread(task, "chorus-embedding-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private static OrtSession.SessionOptions sessionOptions(EmbeddingOptions options) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (options.intraOpThreads() > 0) {
            so.setIntraOpNumThreads(options.intraOpThreads());
        }
        return so;
    }

    private static boolean cudaAttached(OrtSession.SessionOptions so, int device) {
        try {
            so.addCUDA(device);
            return true;
        } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
            LOG.warn("CUDA execution provider unavailable ({}); embedding on CPU instead. {}", e.getMessage(),
                    cudaRemedy(OrtEnvironment.getAvailableProviders()));
            return false;
        }
    }

    /**
     * The two ways CUDA fails to load need different fixes: the CPU build of ONNX Runtime has no CUDA provider at
     * all, while the GPU build has one whose CUDA and cuDNN libraries are missing or of the wrong major version
     * (ONNX Runtime prints the library it could not open just before this line).
     */
    static String cudaRemedy(Set<OrtProvider> compiledIn) {
        return compiledIn.contains(OrtProvider.CUDA)
                ? "This is the onnxruntime_gpu build: install CUDA 12 and cuDNN 9 where the loader finds them "
                        + "(LD_LIBRARY_PATH) and check that a GPU with that ordinal is visible (nvidia-smi)."
                : "This is the CPU build of ONNX Runtime: build with 'mvn -Pgpu package -DskipTests' "
                        + "and run on a host with CUDA 12 and cuDNN 9.";
    }

    private static int hiddenSize(OrtSession session) throws OrtException {
        NodeInfo output = session.getOutputInfo().get(HIDDEN_STATE);
        if (output == null || !(output.getInfo() instanceof TensorInfo tensor) || tensor.getShape().length != 3
                || tensor.getShape()[2] <= 0) {
            throw new EmbeddingModelException("The ONNX model has no output '" + HIDDEN_STATE
                    + "' of shape [batch, tokens, hidden]; outputs are " + session.getOutputInfo().keySet());
        }
        for (String input : List.of(INPUT_IDS, ATTENTION_MASK)) {
            if (!session.getInputNames().contains(input)) {
                throw new EmbeddingModelException("The ONNX model has no input '" + input + "'; inputs are "
                        + session.getInputNames());
            }
        }
        return Math.toIntExact(tensor.getShape()[2]);
    }

    static byte[] verifiedResource(String name, String expectedSha256, ModelVariant variant) {
        byte[] bytes;
        try (InputStream in = OnnxEmbeddingModel.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new EmbeddingModelException("Resource " + name + " is not on the classpath: add the Maven artifact "
                        + variant.artifact() + " (version managed by the parent pom)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new EmbeddingModelException("Cannot read resource " + name + ": " + e.getMessage(), e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(expectedSha256)) {
            throw new EmbeddingModelException("Resource " + name + " has sha256 " + actual + " but " + expectedSha256
                    + " is pinned: the artifact " + variant.artifact() + " on the classpath is not the expected version");
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK ships SHA-256", e);
        }
    }

    /**
     * One unit vector per text, in input order. A null, empty or blank text is embedded as the empty sequence
     * [CLS] [SEP], exactly as sentence-transformers embeds "", so it never throws and always lands on the same
     * baseline vector. A text given several times is embedded once: copied answers are common in a round (and a
     * block of uids answering the same text costs one embedding), and copies get bit-identical vectors.
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> slotOf = new HashMap<>();
        List<String> distinct = new ArrayList<>();
        int[] slots = new int[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i) == null ? "" : texts.get(i);
            slots[i] = slotOf.computeIfAbsent(text, t -> {
                distinct.add(t);
                return distinct.size() - 1;
            });
        }
        List<float[]> vectors = whileOpen(() -> embedDistinct(distinct));
        List<float[]> result = new ArrayList<>(texts.size());
        boolean[] handedOut = new boolean[distinct.size()];
        for (int slot : slots) {
            result.add(handedOut[slot] ? vectors.get(slot).clone() : vectors.get(slot));
            handedOut[slot] = true;
        }
        return result;
    }

    private List<float[]> embedDistinct(List<String> texts) {
        WordPieceTokenizer.Tokens[] tokens = tokenizer.tokenizeAll(texts);
        List<TokenWindows.Window> windows = new ArrayList<>();
        int[] firstWindow = new int[tokens.length + 1];
        for (int i = 0; i < tokens.length; i++) {
            firstWindow[i] = windows.size();
            windows.addAll(windowing.split(tokens[i]));
        }
        firstWindow[tokens.length] = windows.size();

        float[][] windowVectors = embedWindows(windows);

        List<float[]> result = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            int from = firstWindow[i];
            int to = firstWindow[i + 1];
            result.add(to - from == 1 ? windowVectors[from] : weightedMean(windows, windowVectors, from, to));
        }
        return result;
    }

    /** Number of WordPiece tokens in {@code text}, without [CLS]/[SEP]. */
    public int tokenCount(String text) {
        return whileOpen(() -> tokenizer.tokenize(text == null ? "" : text).size());
    }

    private <T> T whileOpen(Supplier<T> work) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("The embedding model is closed; this call came after the validator"
                        + " (or whoever owns the model) closed it at shutdown");
            }
            return work.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /**
     * Products on ONNX Runtime, on the provider that runs the model: about three times faster than
     * {@link JavaDotProducts} on a CPU. Usable until the model is closed.
     */
    @Override
    public DotProducts dotProducts() {
        return (rows, columns) -> whileOpen(() -> products.between(rows, columns));
    }

    /** The execution provider that actually runs the model (CPU when CUDA was asked for but could not load). */
    public ExecutionProvider provider() {
        return provider;
    }

    public EmbeddingOptions options() {
        return options;
    }

    private float[][] embedWindows(List<TokenWindows.Window> windows) {
        Integer[] order = new Integer[windows.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Integer.compare(windows.get(b).length(), windows.get(a).length()));
        List<int[]> batches = new ArrayList<>();
        int from = 0;
        while (from < order.length) {
            int width = windows.get(order[from]).length();
            int rows = Math.max(1, Math.min(options.batchSize(), options.batchTokens() / width));
            int to = Math.min(order.length, from + rows);
            batches.add(new int[]{from, to});
            from = to;
        }
        float[][] vectors = new float[windows.size()][];
        if (runner == null || batches.size() == 1) {
            batches.forEach(batch -> runBatch(windows, order, batch[0], batch[1], vectors));
            return vectors;
        }
        CompletableFuture<?>[] runs = batches.stream()
                .map(batch -> CompletableFuture.runAsync(() -> runBatch(windows, order, batch[0], batch[1], vectors),
                        runner))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(runs).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
        return vectors;
    }

    private void runBatch(List<TokenWindows.Window> windows, Integer[] order, int from, int to, float[][] vectors) {
        RunBuffers buffers = acquireBuffers();
        try {
            runBatch(windows, order, from, to, buffers, vectors);
        } catch (OrtException e) {
            throw new EmbeddingModelException("ONNX Runtime failed while embedding a batch of " + (to - from)
                    + " windows: " + e.getMessage(), e);
        } finally {
            idleBuffers.add(buffers);
        }
    }

    private void runBatch(List<TokenWindows.Window> windows, Integer[] order, int from, int to, RunBuffers buffers,
                          float[][] vectors) throws OrtException {
        int rows = to - from;
        int width = windows.get(order[from]).length();
        LongBuffer ids = buffers.ids.clear();
        LongBuffer mask = buffers.mask.clear();
        for (int r = from; r < to; r++) {
            long[] window = windows.get(order[r]).ids();
            ids.put(window);
            for (int t = 0; t < window.length; t++) {
                mask.put(1L);
            }
            for (int t = window.length; t < width; t++) {
                ids.put(0L);
                mask.put(0L);
            }
        }
        ids.flip();
        mask.flip();
        LongBuffer types = buffers.zeros.clear().limit(rows * width);
        FloatBuffer hidden = buffers.hidden.clear().limit(rows * width * dimension);
        long[] inputShape = {rows, width};
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, ids, inputShape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask, inputShape);
             OnnxTensor typesTensor = OnnxTensor.createTensor(environment, types, inputShape);
             OnnxTensor hiddenTensor = OnnxTensor.createTensor(environment, hidden,
                     new long[]{rows, width, dimension})) {
            Map<String, OnnxTensor> inputs = new HashMap<>(4);
            inputs.put(INPUT_IDS, idsTensor);
            inputs.put(ATTENTION_MASK, maskTensor);
            if (takesTokenTypes) {
                inputs.put(TOKEN_TYPE_IDS, typesTensor);
            }
            try (OrtSession.Result ignored = session.run(inputs, Map.of(HIDDEN_STATE, hiddenTensor))) {
                for (int r = 0; r < rows; r++) {
                    vectors[order[from + r]] = meanPooled(hidden, r * width, windows.get(order[from + r]).length());
                }
            }
        }
    }

    /** Mean over the first {@code tokens} positions of one row (those with attention mask 1), then L2-normalised. */
    private float[] meanPooled(FloatBuffer hidden, int rowStart, int tokens) {
        double[] sum = new double[dimension];
        for (int t = 0; t < tokens; t++) {
            int base = (rowStart + t) * dimension;
            for (int d = 0; d < dimension; d++) {
                sum[d] += hidden.get(base + d);
            }
        }
        for (int d = 0; d < dimension; d++) {
            sum[d] /= tokens;
        }
        return normalized(sum);
    }

    private float[] weightedMean(List<TokenWindows.Window> windows, float[][] vectors, int from, int to) {
        double[] sum = new double[dimension];
        for (int w = from; w < to; w++) {
            int weight = windows.get(w).weight();
            float[] v = vectors[w];
            for (int d = 0; d < dimension; d++) {
                sum[d] += weight * (double) v[d];
            }
        }
        return normalized(sum);
    }

    private static float[] normalized(double[] v) {
        double squares = 0;
        for (double x : v) {
            squares += x * x;
        }
        double norm = Math.max(Math.sqrt(squares), NORM_EPSILON);
        float[] out = new float[v.length];
        for (int d = 0; d < v.length; d++) {
            out[d] = (float) (v[d] / norm);
        }
        return out;
    }

    private RunBuffers acquireBuffers() {
        RunBuffers buffers = idleBuffers.poll();
        return buffers != null ? buffers
                : new RunBuffers(Math.min(options.batchSize() * options.maxTokens(), options.batchTokens()), dimension);
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (ownRunner != null) {
                ownRunner.shutdown();
            }
            closeQuietly(products);
            closeQuietly(session);
            closeQuietly(sessionOptions);
            tokenizer.close();
            idleBuffers.clear();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed: {}", closeable.getClass().getSimpleName(), e.getMessage());
        }
    }

    /**
     * Direct, native-order buffers sized for the largest batch, so that ONNX Runtime reads inputs and writes the
     * hidden states in place without a copy. One set per concurrent caller, returned to a pool after use.
     */
    private static final class RunBuffers {
        final LongBuffer ids;
        final LongBuffer mask;
        final LongBuffer zeros;
        final FloatBuffer hidden;

        RunBuffers(int maxTokensPerBatch, int dimension) {
            ids = directLongs(maxTokensPerBatch);
            mask = directLongs(maxTokensPerBatch);
            zeros = directLongs(maxTokensPerBatch);
            hidden = ByteBuffer.allocateDirect(Math.multiplyExact(maxTokensPerBatch, dimension) * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        private static LongBuffer directLongs(int n) {
            return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        }
    }
}
