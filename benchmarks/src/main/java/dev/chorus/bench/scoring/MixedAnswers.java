package dev.chorus.bench.scoring;

import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.ModelVariant;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * A fixed, seeded set of distinct answer-like texts whose lengths are spread evenly over a token range, built
 * from natural sentences on several topics so that tokenization and attention see ordinary prose.
 */
final class MixedAnswers {

    private static final String[] SENTENCES = {
            "Earth has seasons because its axis is tilted about 23.5 degrees relative to its orbit.",
            "When a hemisphere leans toward the Sun it receives more direct light and longer days.",
            "A process owns its own address space, while threads inside it share memory and open files.",
            "Context switches between threads are usually cheaper than switches between processes.",
            "Photosynthesis turns light energy, water and carbon dioxide into glucose and oxygen.",
            "The French Revolution began in 1789 and ended the absolute monarchy of Louis XVI.",
            "To reverse a linked list, walk it once and point each node's next field at its predecessor.",
            "Vaccines expose the immune system to a harmless piece of a pathogen so it learns to recognise it.",
            "Memory cells formed after vaccination let the body respond faster to a later infection.",
            "Interest rates rise when central banks want to slow inflation by making borrowing dearer.",
            "A hash map stores entries in buckets chosen by the key's hash, giving constant time lookups on average.",
            "Plate tectonics explains earthquakes and volcanoes as the motion of rigid plates on the mantle.",
            "The mitochondrion produces most of a cell's ATP through oxidative phosphorylation.",
            "Binary search halves the remaining range at every step, so it needs logarithmic time.",
            "Rust's borrow checker rejects programs with data races at compile time.",
            "Light slows down in glass, which bends it at the boundary and lets lenses focus images.",
            "The Roman Empire in the west fell in 476 when Odoacer deposed Romulus Augustulus.",
            "Supply and demand meet at the price where buyers want exactly what sellers offer.",
            "Garbage collectors reclaim objects that no live reference can reach any more.",
            "Antibiotics kill bacteria but have no effect on viruses such as the common cold.",
            "The heart pumps oxygen-rich blood through the arteries and takes it back through the veins.",
            "A transformer encoder relates every token to every other through self-attention.",
            "Compound interest grows money faster because each period earns interest on earlier interest.",
            "Glaciers carve U-shaped valleys as they slowly flow downhill under their own weight.",
    };

    private static final int MAX_DRAWS = 1_000;

    private MixedAnswers() {
    }

    /**
     * The throughput benchmarks' answers: {@code count} texts of 10 to 300 tokens (seed 42), with the number of
     * WordPiece tokens of each ([CLS] and [SEP] left out), as all engines compared share one tokenizer.json.
     */
    static Counted throughputSet(int count) {
        try (OnnxEmbeddingModel counter = OnnxEmbeddingModel.open(EmbeddingOptions.defaults()
                .withVariant(ModelVariant.INT8))) {
            List<String> texts = generate(count, 10, 300, 42, counter::tokenCount);
            return new Counted(texts, texts.stream().mapToInt(counter::tokenCount).toArray());
        }
    }

    /** Texts and the token count of each, in the same order. */
    record Counted(List<String> texts, int[] tokens) {
    }

    /**
     * {@code count} texts with token counts spread uniformly over [{@code minTokens}, {@code maxTokens}].
     *
     * @throws IllegalStateException if a text misses its range, so a benchmark never measures the wrong work
     */
    static List<String> generate(int count, int minTokens, int maxTokens, long seed, ToIntFunction<String> tokens) {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int target = minTokens + (int) ((long) (maxTokens - minTokens) * i / Math.max(1, count - 1));
            // Distinct texts: an engine that embeds a repeated text once must not be flattered by repeats.
            String answer = draw(target, maxTokens, random, tokens);
            for (int attempt = 1; seen.contains(answer); attempt++) {
                if (attempt == MAX_DRAWS) {
                    throw new IllegalStateException("Cannot draw a new text of " + target + " tokens after " + MAX_DRAWS
                            + " tries; ask for fewer texts or a wider token range");
                }
                answer = draw(target, maxTokens, random, tokens);
            }
            int n = tokens.applyAsInt(answer);
            if (n < minTokens || n > maxTokens) {
                throw new IllegalStateException("Generated a text of " + n + " tokens outside " + minTokens + ".." + maxTokens);
            }
            seen.add(answer);
            texts.add(answer);
        }
        Collections.shuffle(texts, random);
        return texts;
    }

    /** Sentences drawn at random until the text has {@code target} tokens, then cut back to {@code maxTokens}. */
    private static String draw(int target, int maxTokens, Random random, ToIntFunction<String> tokens) {
        StringBuilder text = new StringBuilder();
        while (tokens.applyAsInt(text.toString()) < target) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(SENTENCES[random.nextInt(SENTENCES.length)]);
        }
        String[] words = text.toString().split(" ");
        int keep = words.length;
        while (keep > 1 && tokens.applyAsInt(String.join(" ", List.of(words).subList(0, keep))) > maxTokens) {
            keep--;
        }
        return String.join(" ", List.of(words).subList(0, keep));
    }
}
