package dev.chorus.scoring.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OnnxEmbeddingModelIT {

    /** Reference components from sentence-transformers/all-MiniLM-L6-v2 in Python. */
    private static final float[] HELLO_WORLD = {-0.0344773f, 0.0310232f, 0.0067349f, 0.0261089f, -0.0393620f};
    private static final float[] EXAMPLE_SENTENCE = {0.0676569f, 0.0634960f, 0.0487131f, 0.0793050f, 0.0374480f};

    private static OnnxEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults().withBatchSize(4));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void matchesSentenceTransformersReferenceValues() {
        List<float[]> vectors = model.embed(List.of("hello world", "This is an example sentence"));

        assertThat(model.dimension()).isEqualTo(384);
        assertThat(Arrays.copyOf(vectors.get(0), 5)).containsExactly(HELLO_WORLD, within(1e-5f));
        assertThat(Arrays.copyOf(vectors.get(1), 5)).containsExactly(EXAMPLE_SENTENCE, within(1e-5f));
    }

    @Test
    void batchedEmbeddingEqualsOneByOne() {
        List<String> texts = SampleTexts.mixedLengths();
        List<float[]> batched = model.embed(texts);

        for (int i = 0; i < texts.size(); i++) {
            float[] single = model.embed(List.of(texts.get(i))).get(0);
            assertThat(batched.get(i)).as("text %d", i).containsExactly(single, within(1e-6f));
        }
    }

    @Test
    void concurrentCallersGetTheSameVectorsAsOneCaller() throws Exception {
        List<String> texts = SampleTexts.mixedLengths();
        List<float[]> expected = model.embed(texts);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> model.embed(texts)));
            }
            for (Future<List<float[]>> result : results) {
                List<float[]> got = result.get();
                for (int t = 0; t < texts.size(); t++) {
                    assertThat(got.get(t)).containsExactly(expected.get(t), within(1e-6f));
                }
            }
        }
    }

    @Test
    void batchesRunInParallelGiveTheSameVectors() {
        List<String> texts = SampleTexts.mixedLengths();
        List<float[]> expected = model.embed(texts);
        try (ExecutorService pool = Executors.newFixedThreadPool(3);
             OnnxEmbeddingModel parallel = OnnxEmbeddingModel.open(EmbeddingOptions.defaults().withBatchSize(2), pool)) {
            List<float[]> got = parallel.embed(texts);
            for (int t = 0; t < texts.size(); t++) {
                assertThat(got.get(t)).containsExactly(expected.get(t), within(1e-6f));
            }
        }
    }

    @Test
    void closeWaitsForAnEmbeddingInFlightAndLaterCallsAreRefused() throws Exception {
        List<String> texts = SampleTexts.mixedLengths();
        List<float[]> expected = model.embed(texts);
        CountDownLatch batchStarted = new CountDownLatch(1);
        CountDownLatch releaseBatches = new CountDownLatch(1);
        Executor heldBack = batch -> CompletableFuture.runAsync(() -> {
            batchStarted.countDown();
            try {
                releaseBatches.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batch.run();
        });
        OnnxEmbeddingModel closing = OnnxEmbeddingModel.open(EmbeddingOptions.defaults().withBatchSize(2), heldBack);
        try (ExecutorService callers = Executors.newFixedThreadPool(2)) {
            Future<List<float[]>> inFlight = callers.submit(() -> closing.embed(texts));
            assertThat(batchStarted.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> closed = callers.submit(closing::close);
            Thread.sleep(200);
            assertThat(closed).as("close waits while a batch may still use the session").isNotDone();

            releaseBatches.countDown();
            List<float[]> got = inFlight.get(60, TimeUnit.SECONDS);
            closed.get(60, TimeUnit.SECONDS);
            for (int t = 0; t < texts.size(); t++) {
                assertThat(got.get(t)).containsExactly(expected.get(t), within(1e-6f));
            }
        }
        assertThatThrownBy(() -> closing.embed(List.of("after close")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> closing.dotProducts().gram(expected.toArray(float[][]::new)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        closing.close();
    }

    @Test
    void productsOnOnnxRuntimeMatchDoublePrecisionSums() {
        DotProducts products = model.dotProducts();
        List<float[]> embedded = model.embed(SampleTexts.mixedLengths());
        float[][] answers = embedded.toArray(float[][]::new);
        JavaDotProductsTest.assertGram(products, answers);
        JavaDotProductsTest.assertProducts(products, Arrays.copyOf(answers, 3), answers);
        for (int rows : new int[]{1, 5, 300}) {
            JavaDotProductsTest.assertProducts(products, JavaDotProductsTest.unitVectors(rows, 384, rows),
                    JavaDotProductsTest.unitVectors(7, 384, 7));
        }
        assertThat(products.between(new float[0][], answers)).isEmpty();
        assertThatThrownBy(() -> products.between(answers, new float[][]{new float[12]}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("384");
    }

    @Test
    void productsOfConcurrentCallersAreEachTheirOwn() throws Exception {
        DotProducts products = model.dotProducts();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int caller = 0; caller < 8; caller++) {
                float[][] vectors = JavaDotProductsTest.unitVectors(20 + 13 * caller, 384, caller);
                double[][] alone = products.gram(vectors);
                runs.add(pool.submit(() -> {
                    for (int repeat = 0; repeat < 20; repeat++) {
                        if (!Arrays.deepEquals(products.gram(vectors), alone)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> run : runs) {
                assertThat(run.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyVectorHasUnitNorm() {
        List<String> texts = new ArrayList<>(SampleTexts.mixedLengths());
        texts.add(SampleTexts.words(1000));
        for (float[] v : model.embed(texts)) {
            assertThat(norm(v)).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void thousandTokenTextIsNotCutAt128() {
        String head = SampleTexts.words(120);
        String tail = " " + String.join(" ", java.util.Collections.nCopies(220,
                "The telescope observed distant galaxies and nebulae in the night sky."));
        String text = head + tail;

        assertThat(model.tokenCount(text)).isGreaterThanOrEqualTo(1000);
        float[] whole = model.embed(List.of(text)).get(0);
        float[] headOnly = model.embed(List.of(head)).get(0);
        float[] astronomy = model.embed(List.of("Astronomers use telescopes to observe galaxies.")).get(0);
        assertThat(cosine(whole, headOnly)).isLessThan(0.9);
        assertThat(cosine(whole, astronomy)).isGreaterThan(cosine(headOnly, astronomy) + 0.2);
    }

    @Test
    void truncateModeKeepsExactlyTheFirst254Tokens() {
        try (OnnxEmbeddingModel truncating = OnnxEmbeddingModel.open(EmbeddingOptions.defaults()
                .withVariant(ModelVariant.INT8).withLongText(LongTextMode.TRUNCATE))) {
            String prefix = SampleTexts.words(254);
            assertThat(truncating.tokenCount(prefix)).isEqualTo(254);
            String longer = prefix + " volcanoes erupt with molten lava and ash clouds over the ocean";

            float[] cut = truncating.embed(List.of(longer)).get(0);
            float[] exact = truncating.embed(List.of(prefix)).get(0);
            float[] shorter = truncating.embed(List.of(SampleTexts.words(128))).get(0);

            assertThat(cut).containsExactly(exact, within(1e-6f));
            assertThat(cosine(cut, shorter)).isLessThan(0.999);
        }
    }

    @Test
    void blankTextsAreTheEmptyBaselineAndNeverThrow() {
        List<String> texts = new ArrayList<>(List.of("", "   ", "\n\t"));
        texts.add(null);
        List<float[]> vectors = model.embed(texts);

        for (float[] v : vectors) {
            assertThat(norm(v)).isCloseTo(1.0, within(1e-6));
            assertThat(v).containsExactly(vectors.get(0), within(1e-6f));
        }
        assertThat(model.embed(List.of())).isEmpty();
    }

    @Test
    void repeatedTextsGetIdenticalVectorsOfTheirOwn() {
        String copied = SampleTexts.words(40);
        List<String> texts = new ArrayList<>(List.of(copied, "an original answer", copied, "", copied));
        texts.add(null);
        List<float[]> vectors = model.embed(texts);

        assertThat(vectors).hasSize(6);
        assertThat(vectors.get(2)).isEqualTo(vectors.get(0)).isNotSameAs(vectors.get(0));
        assertThat(vectors.get(4)).isEqualTo(vectors.get(0)).isNotSameAs(vectors.get(2));
        assertThat(vectors.get(5)).as("null is the empty text").isEqualTo(vectors.get(3));
        assertThat(vectors.get(0)).containsExactly(model.embed(List.of(copied)).get(0), within(1e-6f));
        vectors.get(2)[0] = 42;
        assertThat(vectors.get(0)[0]).as("a caller changing one copy leaves the others").isNotEqualTo(42);
    }

    @Test
    void tokenizerLowercasesAndStripsAccents() {
        List<float[]> v = model.embed(List.of("Café CRÈME brûlée", "cafe creme brulee"));
        assertThat(v.get(0)).containsExactly(v.get(1), within(1e-6f));
    }

    @Test
    void int8ModelAgreesWithFp32AndCudaRequestFallsBackToCpu() {
        try (OnnxEmbeddingModel int8 = OnnxEmbeddingModel.open(EmbeddingOptions.defaults()
                .withVariant(ModelVariant.INT8).withProvider(ExecutionProvider.CUDA, 0))) {
            // The CPU build must fall back; the -Pgpu build on a CUDA host may run CUDA, checked by the same answers.
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                assertThat(int8.provider()).isEqualTo(ExecutionProvider.CPU);
            }
            List<String> texts = List.of("hello world", "The cat sat on the mat.", SampleTexts.words(300));
            List<float[]> quantized = int8.embed(texts);
            List<float[]> full = model.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(cosine(quantized.get(i), full.get(i))).isGreaterThan(0.95);
            }
        }
    }

    @Test
    void similarMeaningsAreCloserThanUnrelatedOnes() {
        List<float[]> v = model.embed(List.of("How do I bake bread at home?", "What is a simple homemade bread recipe?",
                "The stock market fell sharply on Tuesday."));
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.3);
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return Math.sqrt(s);
    }

    static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s / (norm(a) * norm(b));
    }
}
