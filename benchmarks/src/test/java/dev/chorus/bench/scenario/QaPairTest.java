package dev.chorus.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QaPairTest {

    @Test
    void everyPhrasingIsDistinctAndNoneOpensWithAnother() {
        for (QaPair pair : QaCorpus.bundled().pairs()) {
            Set<String> seen = new HashSet<>();
            for (int k = 0; k < QaPair.phrasings(); k++) {
                String a = pair.answer(k);
                assertThat(seen.add(a)).as("phrasing %d of %s repeats", k, pair.id()).isTrue();
                for (int j = 0; j < QaPair.phrasings(); j++) {
                    if (j != k) {
                        assertThat(a).as("%s phrasing %d opens with phrasing %d", pair.id(), k, j).doesNotStartWith(pair.answer(j));
                    }
                }
            }
        }
    }

    @Test
    void bundledCorpusHasDistinctIds() {
        List<QaPair> pairs = QaCorpus.bundled().pairs();
        assertThat(pairs).hasSizeGreaterThanOrEqualTo(20);
        assertThat(pairs.stream().map(QaPair::id).distinct()).hasSize(pairs.size());
    }

    @Test
    void rejectsAQuestionWithoutFiveDetails() {
        assertThatThrownBy(() -> new QaPair("x", "q", "r", List.of("a", "b")))
                .hasMessageContaining("exactly 5");
    }

    @Test
    void scenarioSpecListsEveryProblem() {
        assertThatThrownBy(() -> new ScenarioSpec(-1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 7))
                .hasMessageContaining("--honest is -1").hasMessageContaining("--validators is 0")
                .hasMessageContaining("--rounds is 0").hasMessageContaining("-1 miners");
    }
}
