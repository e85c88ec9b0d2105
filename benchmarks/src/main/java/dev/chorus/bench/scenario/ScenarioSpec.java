package dev.chorus.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shape of a simulated subnet.
 *
 * @param honest      miners answering from a good knowledge base
 * @param noisy       miners answering from a degraded one
 * @param copycats    miners returning an honest miner's answer, later
 * @param colluders   miners all returning the same wrong answer
 * @param lazy        miners returning an empty or constant answer
 * @param padders     miners returning an honest miner's answer, later, with a sentence of their own after it
 * @param openers     miners sending the first words of an honest miner's answer, before it
 * @param validators  validators, each asking its own questions and keeping its own score book
 * @param rounds      rounds per validator
 * @param tempoRounds rounds per validator between weight submissions
 * @param seed        the seed every random choice derives from
 */
public record ScenarioSpec(int honest, int noisy, int copycats, int colluders, int lazy, int padders, int openers,
                           int validators, int rounds, int tempoRounds, long seed) {

    public ScenarioSpec {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>(Map.of("honest", honest, "noisy", noisy, "copycats", copycats,
                "colluders", colluders, "lazy", lazy, "padders", padders, "openers", openers));
        counts.forEach((name, count) -> {
            if (count < 0) problems.add("--" + name + " is " + count + ": give 0 or more");
        });
        int miners = honest + noisy + copycats + colluders + lazy + padders + openers;
        if (miners < 2) problems.add("the subnet has " + miners + " miners: give at least 2");
        // Honest and noisy miners each take a phrasing of their own; two sharing one would answer alike and be docked as copies.
        // Copycats, padders and openers take none: they send (part of) an honest miner's answer.
        if (honest + noisy > QaPair.phrasings()) {
            problems.add("--honest plus --noisy is " + (honest + noisy) + ": each answers in a phrasing of its own and the"
                    + " corpus has " + QaPair.phrasings() + " per question (two of five statements); give at most "
                    + QaPair.phrasings() + " together");
        }
        if (honest == 0 && copycats + padders + openers > 0) {
            problems.add("copycats, padders and openers copy honest miners' answers and there are none: give --honest 1"
                    + " or more, or drop them");
        }
        if (validators < 1) problems.add("--validators is " + validators + ": give at least 1");
        if (rounds < 1) problems.add("--rounds is " + rounds + ": give at least 1");
        if (tempoRounds < 1) problems.add("--tempo is " + tempoRounds + ": give at least 1");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid scenario: " + String.join("; ", problems));
        }
    }

    /** The default scenario of the issue: 22 miners, 3 validators, 300 rounds, tempo 10, seed 7; no padders or openers. */
    public static ScenarioSpec defaults() {
        return new ScenarioSpec(8, 4, 3, 5, 2, 0, 0, 3, 300, 10, 7);
    }

    public ScenarioSpec withRounds(int count) {
        return new ScenarioSpec(honest, noisy, copycats, colluders, lazy, padders, openers, validators, count,
                tempoRounds, seed);
    }

    public int miners() {
        return honest + noisy + copycats + colluders + lazy + padders + openers;
    }
}
