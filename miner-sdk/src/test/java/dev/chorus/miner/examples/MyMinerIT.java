package dev.chorus.miner.examples;

// The test of a miner shown in miner-sdk/README.md, "Testing your miner without a chain": ReadmeTest keeps the two
// identical, and the build runs it.
// README:BEGIN
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.server.Miner;
import dev.chorus.miner.testing.LocalValidator;
import dev.chorus.scoring.consensus.MinerScore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MyMinerIT {

    private final Miner myMiner = query -> "Water boils at 100 degrees Celsius (212 °F) at sea level.";

    @Test
    void answersASignedQueryInTimeAndScoresWell() {
        String question = "At what temperature does water boil at sea level?";
        try (LocalValidator validator = LocalValidator.builder().miner(myMiner)
                .scoring()  // loads the embedding model, a few seconds; leave it out to only ask
                .start()) {
            MinerAnswer answer = validator.ask(question);  // within a validator's default deadline, 8 s
            assertInstanceOf(MinerAnswer.Ok.class, answer, () -> "no answer: " + answer);

            MinerScore score = validator.score(question, answer, List.of(
                    "At sea level water boils at 100 °C.", "100 degrees Celsius, that is 212 degrees Fahrenheit."));
            assertTrue(score.reward() > 0.5, () -> "a low reward: " + score);
        }
    }
}
// README:END
