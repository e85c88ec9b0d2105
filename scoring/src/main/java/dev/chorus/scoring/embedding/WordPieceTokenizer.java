package dev.chorus.scoring.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The model's WordPiece tokenizer (DJL binding of HuggingFace tokenizers). The shipped tokenizer.json carries
 * {@code truncation.max_length = 128} and fixed padding to 128, which DJL applies unless told otherwise; both are
 * switched off here because windowing and padding are decided by {@link OnnxEmbeddingModel}. Lowercasing and
 * accent stripping stay as the tokenizer's BertNormalizer defines them, which is what sentence-transformers does.
 */
final class WordPieceTokenizer implements AutoCloseable {

    /** The content tokens of one text, without [CLS]/[SEP]. */
    record Tokens(long[] ids, boolean[] continuesWord) {
        int size() {
            return ids.length;
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final long clsId;
    private final long sepId;

    WordPieceTokenizer(byte[] tokenizerJson) {
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), Map.of(
                    "truncation", "false",
                    "padding", "false",
                    "addSpecialTokens", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse the tokenizer JSON", e);
        }
        long[] framing = tokenizer.encode("", true, false).getIds();
        if (framing.length != 2) {
            tokenizer.close();
            throw new IllegalStateException("The tokenizer does not frame a text as [CLS] text [SEP] (an empty text gave "
                    + framing.length + " tokens); is this a BERT tokenizer.json?");
        }
        clsId = framing[0];
        sepId = framing[1];
    }

    long clsId() {
        return clsId;
    }

    long sepId() {
        return sepId;
    }

    Tokens tokenize(String text) {
        return toTokens(tokenizer.encode(text, false, false));
    }

    /** Tokenizes many texts in one native call (HuggingFace tokenizers parallelises it). */
    Tokens[] tokenizeAll(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts, false, false);
        Tokens[] out = new Tokens[encodings.length];
        for (int i = 0; i < encodings.length; i++) {
            out[i] = toTokens(encodings[i]);
        }
        return out;
    }

    private static Tokens toTokens(Encoding encoding) {
        long[] ids = encoding.getIds();
        String[] pieces = encoding.getTokens();
        boolean[] continues = new boolean[ids.length];
        for (int i = 0; i < ids.length; i++) {
            continues[i] = pieces[i].startsWith("##");
        }
        return new Tokens(ids, continues);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
